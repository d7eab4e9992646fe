import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { graphql } from '../gql';
import { useSession } from '../lib/session';
import { useQuery } from '../lib/use-query';
import { ScrollTable } from '../ScrollTable';
import { Failure } from './Failure';

const HomeQuery = graphql(`
  query Home {
    domains {
      name
      description
      productCount
      team {
        name
      }
    }
    meshSloStatus {
      productId
      domain
      met
      atRisk
      breached
    }
  }
`);

const AuditQuery = graphql(`
  query RecentAudit {
    auditLog(limit: 10) {
      seq
      at
      principalId
      action
      resource
      outcome
    }
  }
`);

export function HomePage() {
  const { can } = useSession();
  const { data, error } = useQuery(HomeQuery, {});
  const mayReadAudit = can('audit.read');
  const audit = useQuery(AuditQuery, {}, !mayReadAudit);
  if (error) return <Failure error={error} />;
  const breaches = data?.meshSloStatus.filter((p) => p.breached > 0) ?? [];
  return (
    <Stack>
      <Title order={2}>Domains</Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {data?.domains.map((d) => (
          <Card key={d.name} withBorder>
            <Group justify="space-between">
              <Title order={3} size="h4">
                {d.name}
              </Title>
              <Badge variant="light">{d.productCount} products</Badge>
            </Group>
            <Text size="sm">{d.team?.name ?? 'No team declared'}</Text>
            <Text size="sm" c="dimmed" lineClamp={2}>
              {d.description}
            </Text>
            <Anchor component={Link} to={`/search?domain=${encodeURIComponent(d.name)}`} size="sm">
              Products of {d.name}
            </Anchor>
          </Card>
        ))}
      </SimpleGrid>
      <Title order={2}>Mesh health</Title>
      <Text>
        {data?.meshSloStatus.length ?? 0} products measured; {breaches.length} with a breached SLO.
      </Text>
      {breaches.map((b) => (
        <Anchor key={b.productId} component={Link} to={`/products/${encodeURIComponent(b.productId)}`}>
          {b.productId}: {b.breached} breached
        </Anchor>
      ))}
      {mayReadAudit && (
        <>
          <Title order={2}>Recent changes</Title>
          <ScrollTable label="Recent changes">
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Resource</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {audit.data?.auditLog.map((a) => (
                  <Table.Tr key={a.seq}>
                    <Table.Td>{new Date(a.at).toLocaleString()}</Table.Td>
                    <Table.Td>{a.principalId}</Table.Td>
                    <Table.Td>{a.action}</Table.Td>
                    <Table.Td>{a.resource}</Table.Td>
                    <Table.Td>{a.outcome}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </>
      )}
    </Stack>
  );
}
