import { LineChart } from '@mantine/charts';
import '@mantine/charts/styles.css';

/** Line colours cycled over features; shade 8–9 keeps the lines visible on light and dark. */
const COLORS = ['blue.8', 'orange.8', 'teal.8', 'grape.8', 'green.9', 'pink.8', 'cyan.9', 'indigo.8', 'yellow.9', 'violet.8', 'lime.9', 'red.8'];

export interface DriftWindow {
  since: string;
  until: string;
  /** PSI per feature in this window; null with too few logged rows. */
  psi: (number | null)[];
}

/**
 * PSI per feature over consecutive windows against the drift threshold (a reference line). Loaded
 * lazily with recharts. Screen readers get the counts from the label; the data attributes let a test
 * check what is drawn without reading the SVG.
 */
export default function DriftHistoryChart({ features, threshold, windows }: { features: string[]; threshold: number; windows: DriftWindow[] }) {
  // Series keys f0, f1…: feature names (`view:feature`) are not safe as recharts keys and CSS ids.
  const data = windows.map((w) => ({ window: new Date(w.until).toLocaleString(), ...Object.fromEntries(w.psi.map((p, i) => [`f${i}`, p === null ? null : Number(p.toFixed(4))])) }));
  const points = windows.reduce((n, w) => n + w.psi.filter((p) => p !== null).length, 0);
  const measured = windows.filter((w) => w.psi.some((p) => p !== null)).length;
  // recharts drops a reference line outside the axis: keep the threshold in view.
  const top = Math.max(threshold * 1.25, ...windows.flatMap((w) => w.psi.filter((p): p is number => p !== null)));
  return (
    <div
      role="img"
      aria-label={`PSI of ${features.length} features over ${windows.length} windows (${measured} with enough logged rows, ${points} points) against the threshold ${threshold}`}
      data-points={points}
      data-windows={windows.length}
    >
      <LineChart
        h={220}
        data={data}
        dataKey="window"
        series={features.map((f, i) => ({ name: `f${i}`, label: f, color: COLORS[i % COLORS.length] }))}
        referenceLines={[{ y: threshold, label: `threshold ${threshold}`, color: 'red.9' }]}
        yAxisProps={{ domain: [0, Number(top.toPrecision(2))] }}
        withDots
        withLegend
        connectNulls={false}
        curveType="linear"
      />
    </div>
  );
}
