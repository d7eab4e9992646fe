import { Anchor, Badge, Card, Grid, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { graphql } from '../gql';
import { useQuery } from '../lib/use-query';
import { ScrollTable } from '../ScrollTable';
import { useSession } from '../lib/session';
import { Failure } from './Failure';
import { AgreementsSection } from './product/AgreementsSection';
import { ContractHistory } from './product/ContractHistory';
import { declaredRules, QualitySection } from './product/QualitySection';
import { SloSection } from './product/SloSection';
import { RequestAccess } from './RequestAccess';

const ProductQuery = graphql(`
  query Product($id: String!) {
    dataProduct(id: $id) {
      ...ProductFields
      type
      updatedAt
      outputPorts {
        type
        contractId
        contract {
          id
          version
          schema {
            quality
            properties {
              quality
            }
          }
        }
      }
    }
    sloStatus(productId: $id) {
      port
      slo
      scope
      status
      measured
      target
      unit
    }
    registryObjects(kind: FeatureView) {
      name
      spec
    }
    useCases {
      name
      dataProducts
    }
  }
`);

/** One block of the Data Product Canvas; an empty one is marked as a gap to fill. */
function Block({ title, children, empty }: { title: string; children?: ReactNode; empty: boolean }) {
  return (
    <Card withBorder h="100%" component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {empty ? (
        <Badge color="orange" variant="light" mt="xs">
          Gap: nothing declared yet
        </Badge>
      ) : (
        <div>{children}</div>
      )}
    </Card>
  );
}

const sourceOf = (spec: unknown): string | undefined => (spec as { source?: { dataProduct?: string } }).source?.dataProduct;

export function ProductPage() {
  const { id = '' } = useParams();
  const { data, error } = useQuery(ProductQuery, { id });
  const { can } = useSession();
  if (error) return <Failure error={error} />;
  if (!data) return <Text>Loading…</Text>;
  const p = data.dataProduct;
  const views = data.registryObjects.filter((o) => sourceOf(o.spec) === p.id);
  const useCases = data.useCases.filter((u) => JSON.stringify(u.dataProducts).includes(`"${p.id}"`));
  const classifications = [...new Set(p.outputPorts.flatMap((o) => o.contract?.schema.flatMap((s) => s.properties.map((x) => x.classification).filter(Boolean)) ?? []))];
  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Text size="sm" c="dimmed">
            {p.domain}
          </Text>
          <Title order={2}>{p.name}</Title>
          <Text size="xs" c="dimmed">
            {p.id} · version {p.version ?? '—'} · updated {new Date(p.updatedAt).toLocaleDateString()}
          </Text>
        </div>
        <Group>
          <Badge>{p.status}</Badge>
          <Anchor component={Link} to={`/lineage/${encodeURIComponent(p.id)}`}>
            Lineage
          </Anchor>
          {can('catalog.apply') && (
            <Anchor component={Link} to={`/design/${encodeURIComponent(p.id)}`}>
              Edit in design
            </Anchor>
          )}
        </Group>
      </Group>
      {can('agreements.request') && <RequestAccess product={p.id} ports={p.outputPorts} />}
      <Title order={2} size="h3">
        Data Product Canvas
      </Title>
      <Grid>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Block title="Input ports" empty={p.inputPorts.length === 0}>
            <List size="sm">
              {p.inputPorts.map((i) => (
                <List.Item key={i.name}>
                  {i.name} ← {i.contractId}
                </List.Item>
              ))}
            </List>
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Stack h="100%">
            <Block title="Data product design" empty={!p.description.purpose && !p.description.usage}>
              <Text size="sm">{p.description.purpose}</Text>
              <Text size="sm" c="dimmed">
                {p.description.usage}
              </Text>
            </Block>
            <Block title="Metadata" empty={p.tags.length === 0 && !p.team}>
              <Text size="sm">Team: {p.team?.name ?? '—'}</Text>
              <Group gap={4}>
                {p.tags.map((t) => (
                  <Badge key={t} variant="outline" size="sm">
                    {t}
                  </Badge>
                ))}
              </Group>
            </Block>
            <Block title="Observability" empty={data.sloStatus.length === 0 && p.support.length === 0}>
              <List size="sm">
                {data.sloStatus.map((s) => (
                  <List.Item key={`${s.port}-${s.slo}-${s.scope}`}>
                    {s.port} {s.slo} ({s.scope}): {s.status}
                  </List.Item>
                ))}
                {p.support.map((s) => (
                  <List.Item key={s.channel}>support: {s.channel}</List.Item>
                ))}
              </List>
            </Block>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Block title="Output ports" empty={p.outputPorts.length === 0}>
            <List size="sm">
              {p.outputPorts.map((o) => (
                <List.Item key={o.name}>
                  {o.name}{' '}
                  {o.containsPii && (
                    <Badge color="red" size="xs">
                      PII
                    </Badge>
                  )}
                </List.Item>
              ))}
            </List>
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Block title="Consumers" empty={views.length === 0}>
            <List size="sm">
              {views.map((v) => (
                <List.Item key={v.name}>
                  Feature view{' '}
                  <Anchor component={Link} to={`/features/${encodeURIComponent(v.name)}`}>
                    {v.name}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Block title="Use cases" empty={useCases.length === 0}>
            <List size="sm">
              {useCases.map((u) => (
                <List.Item key={u.name}>{u.name}</List.Item>
              ))}
            </List>
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Block title="Classification" empty={classifications.length === 0}>
            <Text size="sm">{classifications.join(', ')}</Text>
          </Block>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Block title="Ubiquitous language" empty={!p.description.limitations}>
            <Text size="sm">{p.description.limitations}</Text>
          </Block>
        </Grid.Col>
      </Grid>
      <Title order={2} size="h3">
        Output ports and contracts
      </Title>
      {p.outputPorts.map((o) => (
        <Card withBorder key={o.name} component="section" aria-label={`Output port ${o.name}`}>
          <Title order={3} size="h4">
            {o.name}{' '}
            <Text span size="sm" c="dimmed">
              contract {o.contract?.id ?? o.contractId ?? '—'} {o.contract?.version}
            </Text>
          </Title>
          {o.contract?.schema.map((s) => (
            <ScrollTable label={`Schema ${s.name}`} key={s.name}>
              <Table>
                <Table.Caption>{s.name}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Column</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Classification</Table.Th>
                    <Table.Th>Description</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.properties.map((c) => (
                    <Table.Tr key={c.name}>
                      <Table.Td>{c.name}</Table.Td>
                      <Table.Td>{c.logicalType}</Table.Td>
                      <Table.Td>{c.classification ?? '—'}</Table.Td>
                      <Table.Td>{c.description}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          ))}
          {o.contract && o.contract.slaProperties.length > 0 && (
            <Text size="sm">SLA: {o.contract.slaProperties.map((s) => `${s.property} ${JSON.stringify(s.value)}${s.unit ? ` ${s.unit}` : ''}`).join('; ')}</Text>
          )}
          <QualitySection productId={p.id} port={o.name} declared={declaredRules(o.contract?.schema ?? [])} />
          {o.contract && <ContractHistory contractId={o.contract.id} />}
        </Card>
      ))}
      <Title order={2} size="h3">
        Service levels and error budgets
      </Title>
      <SloSection productId={p.id} />
      {can('agreements.read') && (
        <>
          <Title order={2} size="h3">
            Consumers and agreements
          </Title>
          <AgreementsSection productId={p.id} />
        </>
      )}
    </Stack>
  );
}
