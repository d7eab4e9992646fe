import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';

/**
 * PSI per feature against the drift threshold (a reference line). Loaded lazily with recharts, so
 * the charts library stays out of the first page load.
 */
export default function DriftChart({ threshold, points }: { threshold: number; points: { feature: string; psi: number }[] }) {
  // recharts drops a reference line outside the axis: keep the threshold in view when every PSI is below it.
  const top = Math.max(threshold * 1.25, ...points.map((p) => p.psi));
  return (
    <div role="img" aria-label={`PSI of ${points.length} features against the threshold ${threshold}`}>
      <BarChart
        h={200}
        data={points}
        dataKey="feature"
        series={[{ name: 'psi', color: 'blue.8', label: 'PSI' }]}
        yAxisProps={{ domain: [0, Number(top.toPrecision(2))] }}
        referenceLines={[{ y: threshold, label: `threshold ${threshold}`, color: 'red.9' }]}
      />
    </div>
  );
}
