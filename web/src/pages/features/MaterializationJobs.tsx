import { Badge, Table, Text } from '@mantine/core';
import type { MaterializationJobStatus } from '../../gql/graphql';
import { ScrollTable } from '../../ScrollTable';

export interface JobRow {
  id: string;
  status: MaterializationJobStatus;
  featureViews: string[];
  startTs?: string | null;
  endTs: string;
  finishedAt?: string | null;
  rowsWritten: number;
  incremental: boolean;
  trigger: string;
  error?: string | null;
}

const STATUS_COLOR: Record<MaterializationJobStatus, string> = { succeeded: 'blue', running: 'gray', queued: 'gray', failed: 'red' };

/**
 * A view's freshness as the jobs tell it: the watermark is the end of the newest succeeded run
 * over the view (incremental runs start there), last materialized is when that run finished.
 */
export function freshnessOf(view: string, jobs: readonly JobRow[]): { watermark?: string; lastMaterialized?: string } {
  const done = jobs.filter((j) => j.status === 'succeeded' && j.featureViews.includes(view));
  if (done.length === 0) return {};
  const newest = done.reduce((a, b) => (Date.parse(b.endTs) > Date.parse(a.endTs) ? b : a));
  return { watermark: newest.endTs, lastMaterialized: newest.finishedAt ?? undefined };
}

const when = (iso?: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');

/** Recent materialization jobs (newest first), optionally only those over one view. */
export function MaterializationJobs({ jobs, view, label }: { jobs: readonly JobRow[]; view?: string; label: string }) {
  const rows = view ? jobs.filter((j) => j.featureViews.includes(view)) : jobs;
  if (rows.length === 0) return <Text size="sm">No materialization jobs yet.</Text>;
  return (
    <ScrollTable label={`${label} table`}>
      <Table aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Status</Table.Th>
            <Table.Th>Views</Table.Th>
            <Table.Th>Event time</Table.Th>
            <Table.Th>Finished</Table.Th>
            <Table.Th>Rows written</Table.Th>
            <Table.Th>Trigger</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((j) => (
            <Table.Tr key={j.id}>
              <Table.Td>
                <Badge variant="light" color={STATUS_COLOR[j.status]} title={j.error ?? undefined}>
                  {j.status}
                </Badge>
              </Table.Td>
              <Table.Td>{j.featureViews.join(', ')}</Table.Td>
              <Table.Td>
                {j.incremental ? 'from watermark' : when(j.startTs)} → {when(j.endTs)}
              </Table.Td>
              <Table.Td>{when(j.finishedAt)}</Table.Td>
              <Table.Td>{j.rowsWritten}</Table.Td>
              <Table.Td>{j.trigger}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
