import { Badge, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { graphql } from '../../gql';
import { useQuery } from '../../lib/use-query';
import { Failure } from '../Failure';

const SloChart = lazy(() => import('./SloChart'));

const Slos = graphql(`
  query ProductSlos($id: String!) {
    sloStatus(productId: $id) {
      port
      slo
      scope
      status
      declared
      measured
      target
      unit
      evaluatedAt
      errorBudget {
        kind
        total
        consumed
        remaining
      }
      history {
        evaluatedAt
        measured
        status
      }
    }
  }
`);

/** Each SLO of the product's ports: status, error budget left, and the measurement history against the target. */
export function SloSection({ productId }: { productId: string }) {
  const { data, error } = useQuery(Slos, { id: productId });
  if (error) return <Failure error={error} />;
  if (!data) return <Text size="sm">Loading SLOs…</Text>;
  if (data.sloStatus.length === 0) return <Text size="sm">Not evaluated yet.</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {data.sloStatus.map((s) => {
        const left = Math.max(0, Math.min(1, s.errorBudget.remaining));
        const label = `${s.port} ${s.slo} (${s.scope})`;
        return (
          <Card withBorder key={`${s.port}-${s.slo}-${s.scope}`} component="section" aria-label={`SLO ${label}`}>
            <Stack gap={4}>
              <Group justify="space-between">
                <Title order={4} size="h5">
                  {label}
                </Title>
                <Badge variant="light" color={s.status === 'breached' ? 'red' : 'blue'}>
                  {s.status}
                </Badge>
              </Group>
              <Text size="sm">
                Declared {s.declared}; measured {s.measured ?? '—'} {s.unit}
              </Text>
              <Text size="sm">Error budget left: {Math.round(left * 100)} %</Text>
              <Progress value={left * 100} color={left > 0.25 ? 'blue' : 'red'} aria-label={`Error budget left for ${label}`} />
              <Suspense fallback={<Text size="sm">Loading chart…</Text>}>
                <SloChart label={label} target={s.target} unit={s.unit} points={s.history.map((h) => ({ at: h.evaluatedAt, measured: h.measured ?? null }))} />
              </Suspense>
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
