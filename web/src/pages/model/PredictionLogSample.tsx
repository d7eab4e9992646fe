import { Code, Table, Text, Title } from '@mantine/core';
import { graphql } from '../../gql';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const Sample = graphql(`
  query PredictionLogSample($model: String!) {
    predictionLog(model: $model, limit: 20) {
      id
      at
      version
      role
      entity
      outputs
      rejected
    }
  }
`);

/** The last 20 logged rows of a model (every version and role). */
export function PredictionLogSample({ model }: { model: string }) {
  const { data, error } = useQuery(Sample, { model });
  return (
    <>
      <Title order={3} size="h4">
        Prediction log (last 20 rows)
      </Title>
      {error && <Failure error={error} />}
      {!data && !error && <Text size="sm">Loading…</Text>}
      {data && data.predictionLog.length === 0 && <Text size="sm">No logged predictions yet.</Text>}
      {data && data.predictionLog.length > 0 && (
        <ScrollTable label="Prediction log table">
          <Table aria-label="Prediction log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>At</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Entity</Table.Th>
                <Table.Th>Outputs</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.predictionLog.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{new Date(r.at).toLocaleString()}</Table.Td>
                  <Table.Td>{r.version}</Table.Td>
                  <Table.Td>{r.role}</Table.Td>
                  <Table.Td>
                    <Code>{JSON.stringify(r.entity)}</Code>
                  </Table.Td>
                  <Table.Td>{r.rejected ? `rejected: ${r.rejected}` : <Code>{JSON.stringify(r.outputs)}</Code>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </>
  );
}
