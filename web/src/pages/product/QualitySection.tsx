import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { graphql } from '../../gql';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const QualityRuns = graphql(`
  query QualityRuns($productId: String!, $port: String!) {
    qualityRuns(productId: $productId, port: $port, first: 5) {
      id
      outcome
      trigger
      finishedAt
      contractVersion
      passedCount
      failedCount
      skippedCount
      results {
        path
        element
        metric
        description
        status
        measured
        operator
        threshold
        unit
        severity
      }
    }
  }
`);

/** Declared rules (from the contract) with the result each had in the last run of the port. */
export function QualitySection({ productId, port, declared }: { productId: string; port: string; declared: { path: string; element: string; rule: string }[] }) {
  const { data, error } = useQuery(QualityRuns, { productId, port });
  if (error) return <Failure error={error} />;
  if (!data) return <Text size="sm">Loading quality…</Text>;
  const last = data.qualityRuns[0];
  const resultAt = new Map((last?.results ?? []).map((r) => [r.path, r]));
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        Quality rules of {port}
      </Title>
      <Text size="sm">
        {last
          ? `Last run ${new Date(last.finishedAt).toLocaleString()} (${last.trigger}, contract ${last.contractVersion}): ${last.outcome}, ${last.passedCount} passed, ${last.failedCount} failed, ${last.skippedCount} skipped. Earlier: ${
              data.qualityRuns
                .slice(1)
                .map((r) => r.outcome)
                .join(', ') || 'none'
            }.`
          : 'Not run yet: the rules below have no result.'}
      </Text>
      {declared.length > 0 && (
        <ScrollTable label={`Quality rules of ${port} table`}>
          <Table aria-label={`Quality rules of ${port}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Element</Table.Th>
                <Table.Th>Rule</Table.Th>
                <Table.Th>Last result</Table.Th>
                <Table.Th>Measured</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {declared.map((d) => {
                const r = resultAt.get(d.path);
                return (
                  <Table.Tr key={d.path}>
                    <Table.Td>{d.element}</Table.Td>
                    <Table.Td>{d.rule}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={!r ? 'gray' : r.status === 'passed' ? 'blue' : 'red'}>
                        {r?.status ?? 'no result'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{r?.measured != null ? `${r.measured} ${r.unit}` : '—'}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}

interface Rule {
  metric?: string;
  type?: string;
  description?: string;
  mustBe?: unknown;
  mustBeLessThan?: unknown;
  mustBeGreaterThan?: unknown;
  query?: string;
}

/** The rules a contract declares, with the path the quality runs report them under. */
export function declaredRules(schema: { name: string; quality: unknown; properties: { name: string; quality: unknown }[] }[]): { path: string; element: string; rule: string }[] {
  const describe = (q: Rule): string => {
    const bound =
      q.mustBe !== undefined
        ? `= ${JSON.stringify(q.mustBe)}`
        : q.mustBeLessThan !== undefined
          ? `< ${JSON.stringify(q.mustBeLessThan)}`
          : q.mustBeGreaterThan !== undefined
            ? `> ${JSON.stringify(q.mustBeGreaterThan)}`
            : '';
    return [q.metric ?? q.type ?? 'rule', bound, q.description ? `(${q.description})` : ''].filter(Boolean).join(' ');
  };
  return schema.flatMap((o, i) => [
    ...((Array.isArray(o.quality) ? o.quality : []) as Rule[]).map((q, k) => ({ path: `schema[${i}].quality[${k}]`, element: o.name, rule: describe(q) })),
    ...o.properties.flatMap((p, j) =>
      ((Array.isArray(p.quality) ? p.quality : []) as Rule[]).map((q, k) => ({ path: `schema[${i}].properties[${j}].quality[${k}]`, element: `${o.name}.${p.name}`, rule: describe(q) })),
    ),
  ]);
}
