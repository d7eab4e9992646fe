import { Badge, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { graphql } from '../../gql';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const History = graphql(`
  query ContractHistory($id: String!) {
    contractHistory(id: $id) {
      version
      appliedAt
      impact
    }
  }
`);

const Diff = graphql(`
  query ContractDiff($from: ContractRefInput!, $to: ContractRefInput!) {
    contractDiff(from: $from, to: $to) {
      impact
      suggestedVersion
      changes {
        change
        path
        element
        impact
        reason
        from
        to
      }
    }
  }
`);

const show = (v: unknown): string => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The applied versions of a contract, and the diff between any two (the service computes it). */
export function ContractHistory({ contractId }: { contractId: string }) {
  const { data, error } = useQuery(History, { id: contractId });
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const versions = [...new Set((data?.contractHistory ?? []).map((v) => v.version))];
  const a = from ?? versions.at(-2) ?? versions[0] ?? null;
  const b = to ?? versions.at(-1) ?? null;
  const diff = useQuery(Diff, { from: { id: contractId, version: a }, to: { id: contractId, version: b } }, !a || !b);
  if (error) return <Failure error={error} />;
  if (!data) return <Text size="sm">Loading history…</Text>;
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        Contract history of {contractId}
      </Title>
      <Text size="sm">{data.contractHistory.map((v) => `${v.version} (${v.impact}, ${new Date(v.appliedAt).toLocaleDateString()})`).join(' → ')}</Text>
      {versions.length > 0 && (
        <Group gap="xs" align="end">
          <Select label={`Compare ${contractId} from`} data={versions} value={a} onChange={setFrom} allowDeselect={false} w={160} />
          <Select label={`to`} data={versions} value={b} onChange={setTo} allowDeselect={false} w={160} />
        </Group>
      )}
      {diff.error && <Failure error={diff.error} />}
      {diff.data && (
        <>
          <Text size="sm">
            Impact <Badge variant="light">{diff.data.contractDiff.impact}</Badge> · suggested version {diff.data.contractDiff.suggestedVersion} · {diff.data.contractDiff.changes.length} change(s)
          </Text>
          {diff.data.contractDiff.changes.length > 0 && (
            <ScrollTable label={`Diff of ${contractId} table`}>
              <Table aria-label={`Diff of ${contractId}`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Change</Table.Th>
                    <Table.Th>Where</Table.Th>
                    <Table.Th>From</Table.Th>
                    <Table.Th>To</Table.Th>
                    <Table.Th>Impact</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {diff.data.contractDiff.changes.map((c, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{c.change}</Table.Td>
                      <Table.Td>{c.element ?? c.path}</Table.Td>
                      <Table.Td>{show(c.from)}</Table.Td>
                      <Table.Td>{show(c.to)}</Table.Td>
                      <Table.Td>
                        {c.impact}: {c.reason}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </>
      )}
    </Stack>
  );
}
