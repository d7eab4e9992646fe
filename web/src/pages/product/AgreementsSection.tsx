import { Table, Text } from '@mantine/core';
import { graphql } from '../../gql';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const Agreements = graphql(`
  query ProductAgreements($id: String!) {
    accessAgreements(dataProduct: $id, first: 50) {
      id
      status
      purpose
      piiAccess
      endDate
      consumer {
        id
        kind
      }
      provider {
        outputPort
      }
    }
  }
`);

/** Who reads the product's ports under which agreement (for those who may read agreements). */
export function AgreementsSection({ productId }: { productId: string }) {
  const { data, error } = useQuery(Agreements, { id: productId });
  if (error) return <Failure error={error} />;
  if (!data) return <Text size="sm">Loading agreements…</Text>;
  if (data.accessAgreements.length === 0) return <Text size="sm">No access agreements yet.</Text>;
  return (
    <ScrollTable label="Access agreements table">
      <Table aria-label="Access agreements">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Consumer</Table.Th>
            <Table.Th>Port</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Purpose</Table.Th>
            <Table.Th>Until</Table.Th>
            <Table.Th>Personal data</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.accessAgreements.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                {a.consumer.id} ({a.consumer.kind})
              </Table.Td>
              <Table.Td>{a.provider.outputPort}</Table.Td>
              <Table.Td>{a.status}</Table.Td>
              <Table.Td>{a.purpose}</Table.Td>
              <Table.Td>{new Date(a.endDate).toLocaleDateString()}</Table.Td>
              <Table.Td>{a.piiAccess ? 'in clear' : 'masked'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
