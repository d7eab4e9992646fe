import { Badge, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { graphql } from '../../gql';
import type { ModelDriftPanelQuery } from '../../gql/graphql';
import { useQuery } from '../../lib/use-query';
import { ScrollTable } from '../../ScrollTable';
import { Failure } from '../Failure';

const DriftChart = lazy(() => import('./DriftChart'));
const DriftHistoryChart = lazy(() => import('./DriftHistoryChart'));

/** Windows shown over time: twelve of the default drift window (TESSERA_DRIFT_WINDOW_HOURS). */
const HISTORY_WINDOWS = 12;

const Drift = graphql(`
  query ModelDriftPanel($name: String!, $version: String) {
    modelDrift(name: $name, version: $version) {
      version
      threshold
      drifted
      servingRows
      trainingRows
      trainingDataset
      since
      until
      notes
      features {
        feature
        psi
        drifted
        servingMissingRate
      }
    }
  }
`);

const History = graphql(`
  query ModelDriftHistoryPanel($name: String!, $version: String, $windows: Int!) {
    modelDriftHistory(name: $name, version: $version, windows: $windows) {
      threshold
      windowMinutes
      windows {
        since
        until
        servingRows
        features {
          feature
          psi
        }
      }
    }
  }
`);

/** Drift per feature of one version over the default window: PSI against the threshold, as a table and a chart. */
export function DriftSection({ name, version }: { name: string; version?: string }) {
  const { data, error } = useQuery(Drift, { name, version });
  return (
    <>
      <Title order={3} size="h4">
        Drift per feature
      </Title>
      {/* No training dataset to compare with is a state of the model, not a failure of the page. */}
      {error && error.code === 'FAILED_PRECONDITION' && <Text size="sm">No drift report: {error.message}.</Text>}
      {error && error.code !== 'FAILED_PRECONDITION' && <Failure error={error} />}
      {!data && !error && <Text size="sm">Loading…</Text>}
      {data && <DriftReport report={data.modelDrift} />}
      {data && <DriftHistory name={name} version={version} />}
    </>
  );
}

function DriftReport({ report }: { report: ModelDriftPanelQuery['modelDrift'] }) {
  const points = report.features.filter((f) => f.psi != null).map((f) => ({ feature: f.feature, psi: Number(f.psi!.toFixed(4)) }));
  return (
    <>
      <Text size="sm">
        Version {report.version}, {new Date(report.since).toLocaleString()} – {new Date(report.until).toLocaleString()}: {report.servingRows} logged rows against {report.trainingRows} rows of{' '}
        {report.trainingDataset}; threshold {report.threshold}.{' '}
        <Badge variant="light" color={report.drifted ? 'red' : 'blue'}>
          {report.drifted ? 'drifted' : 'no drift'}
        </Badge>
      </Text>
      {report.notes.map((n) => (
        <Text key={n} size="sm" c="dimmed">
          {n}
        </Text>
      ))}
      <ScrollTable label="Drift table">
        <Table aria-label="Drift">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Feature</Table.Th>
              <Table.Th>PSI</Table.Th>
              <Table.Th>Threshold</Table.Th>
              <Table.Th>Serving missing</Table.Th>
              <Table.Th>Drifted</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.features.map((f) => (
              <Table.Tr key={f.feature}>
                <Table.Td>{f.feature}</Table.Td>
                <Table.Td>{f.psi == null ? 'too few rows' : f.psi.toFixed(4)}</Table.Td>
                <Table.Td>{report.threshold}</Table.Td>
                <Table.Td>{(f.servingMissingRate * 100).toFixed(1)} %</Table.Td>
                <Table.Td>{f.drifted ? 'yes' : 'no'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {points.length > 0 && (
        <Suspense fallback={<Text size="sm">Loading chart…</Text>}>
          <DriftChart threshold={report.threshold} points={points} />
        </Suspense>
      )}
    </>
  );
}

/** PSI per feature over the last HISTORY_WINDOWS windows, drawn once the current report is in. */
function DriftHistory({ name, version }: { name: string; version?: string }) {
  const { data, error } = useQuery(History, { name, version, windows: HISTORY_WINDOWS });
  if (error) return <Failure error={error} />;
  if (!data) return <Text size="sm">Loading drift over time…</Text>;
  const h = data.modelDriftHistory;
  const features = h.windows[0]?.features.map((f) => f.feature) ?? [];
  const windows = h.windows.map((w) => ({ since: w.since, until: w.until, psi: w.features.map((f) => f.psi ?? null) }));
  const hours = h.windowMinutes / 60;
  return (
    <>
      <Title order={4} size="h5">
        Drift over time
      </Title>
      <Text size="sm">
        PSI per feature in {h.windows.length} windows of {hours >= 1 ? `${hours} h` : `${h.windowMinutes} min`}, oldest first; a window with fewer than 100 logged rows has no point.
      </Text>
      <Suspense fallback={<Text size="sm">Loading chart…</Text>}>
        <DriftHistoryChart features={features} threshold={h.threshold} windows={windows} />
      </Suspense>
    </>
  );
}
