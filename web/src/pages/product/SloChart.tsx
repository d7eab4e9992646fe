import { LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';

/**
 * Measurements of one SLO over time against its target (a reference line). Loaded lazily with
 * recharts, so the charts library stays out of the first page load.
 */
export default function SloChart({ label, target, unit, points }: { label: string; target: number; unit: string; points: { at: string; measured: number | null }[] }) {
  const data = [...points].reverse().map((p) => ({ at: new Date(p.at).toLocaleString(), measured: p.measured }));
  // recharts draws no reference line outside the axis range: the range always reaches the target
  // (all measurements at 100 % against a 99.9 % target would otherwise leave it out).
  const values = [target, ...points.flatMap((p) => (p.measured === null ? [] : [p.measured]))];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.01 || 1;
  return (
    <div role="img" aria-label={`${label}: ${points.length} measurements against the target ${target} ${unit}`} data-measured-points={values.length - 1}>
      <LineChart
        h={180}
        data={data}
        dataKey="at"
        series={[{ name: 'measured', color: 'blue.8', label: `measured (${unit})` }]}
        referenceLines={[{ y: target, label: `target ${target}`, color: 'red.9' }]}
        yAxisProps={{ domain: [Number((lo - pad).toPrecision(4)), Number((hi + pad).toPrecision(4))] }}
        withDots
        connectNulls={false}
        curveType="linear"
      />
    </div>
  );
}
