import { LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';

/**
 * Measurements of one SLO over time against its target (a reference line). Loaded lazily with
 * recharts, so the charts library stays out of the first page load.
 */
export default function SloChart({ label, target, unit, points }: { label: string; target: number; unit: string; points: { at: string; measured: number | null }[] }) {
  const data = [...points].reverse().map((p) => ({ at: new Date(p.at).toLocaleString(), measured: p.measured }));
  return (
    <div role="img" aria-label={`${label}: ${points.length} measurements against the target ${target} ${unit}`}>
      <LineChart
        h={180}
        data={data}
        dataKey="at"
        series={[{ name: 'measured', color: 'blue.8', label: `measured (${unit})` }]}
        referenceLines={[{ y: target, label: `target ${target}`, color: 'red.9' }]}
        withDots
        connectNulls={false}
        curveType="linear"
      />
    </div>
  );
}
