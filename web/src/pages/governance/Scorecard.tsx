import { Progress, Stack, Table, Text } from '@mantine/core';
import { graphql } from '../../gql';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const ScorecardQuery = graphql(`
  query ComplianceScorecard {
    complianceScorecard {
      evaluatedAt
      activePolicies
      products
      compliantProducts
      complianceRate
      domains {
        domain
        products
        compliantProducts
        complianceRate
      }
      policies {
        policyId
        name
        severity
        evaluated
        passed
        failed
        errored
        passRate
      }
    }
  }
`);

const percent = (rate: number): string => `${Math.round(rate * 10) / 10} %`;

/** Compliance with the active policies, mesh-wide, per domain and per policy. */
export function Scorecard() {
  const { data, error } = useQuery(ScorecardQuery, {});
  if (error) return <Failure error={error} />;
  if (!data) return <Text>Loading…</Text>;
  const s = data.complianceScorecard;
  // The service reports rates as percentages (0–100).
  return (
    <Stack>
      <Text size="sm">
        {s.compliantProducts} of {s.products} products comply with the {s.activePolicies} active policies ({percent(s.complianceRate)}), evaluated {new Date(s.evaluatedAt).toLocaleString()}.
      </Text>
      <ScrollTable label="Compliance per domain table">
        <Table aria-label="Compliance per domain">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Domain</Table.Th>
              <Table.Th>Compliant products</Table.Th>
              <Table.Th>Rate</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.domains.map((d) => (
              <Table.Tr key={d.domain}>
                <Table.Td>{d.domain}</Table.Td>
                <Table.Td>
                  {d.compliantProducts} of {d.products}
                </Table.Td>
                <Table.Td miw={140}>
                  {percent(d.complianceRate)}
                  <Progress value={d.complianceRate} aria-label={`Compliance of ${d.domain}`} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <ScrollTable label="Compliance per policy table">
        <Table aria-label="Compliance per policy">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Policy</Table.Th>
              <Table.Th>Severity</Table.Th>
              <Table.Th>Passed</Table.Th>
              <Table.Th>Failed</Table.Th>
              <Table.Th>Errors</Table.Th>
              <Table.Th>Pass rate</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.policies.map((p) => (
              <Table.Tr key={p.policyId}>
                <Table.Td>{p.policyId}</Table.Td>
                <Table.Td>{p.severity}</Table.Td>
                <Table.Td>{p.passed}</Table.Td>
                <Table.Td>{p.failed}</Table.Td>
                <Table.Td>{p.errored}</Table.Td>
                <Table.Td>{percent(p.passRate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}
