import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';

/**
 * PSI per feature against the drift threshold (a reference line). Loaded lazily with recharts, so
 * the charts library stays out of the first page load.
 */
export default function DriftChart({ threshold, points }: { threshold: number; points: { feature: string; psi: number }[] }) {
  return (
    <div role="img" aria-label={`PSI of ${points.length} features against the threshold ${threshold}`}>
      <BarChart h={200} data={points} dataKey="feature" series={[{ name: 'psi', color: 'blue.8', label: 'PSI' }]} referenceLines={[{ y: threshold, label: `threshold ${threshold}`, color: 'red.9' }]} />
    </div>
  );
}
