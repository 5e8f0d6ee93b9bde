import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * The statistics charts, drawn by uPlot on a canvas (51 kB minified, 22 kB gzipped, against
 * Chart.js's 210 kB; these charts need bars and lines over a category axis, which uPlot's bar
 * paths and axis value callbacks cover). Each chart sits in a figure whose caption names it and
 * whose table beside it holds the same numbers as text, so the canvas is `aria-hidden`.
 */

export interface Series {
  label: string;
  values: readonly (number | null)[];
  color: string;
  kind: 'bars' | 'line';
}

const charts = new Map<string, uPlot>();

function options(width: number, labels: readonly string[], series: readonly Series[]): uPlot.Options {
  const bars = uPlot.paths.bars!({ size: [0.6, 48] });
  return {
    width,
    height: 240,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] } },
    axes: [
      { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (labels[v] ?? '') : '')), gap: 4, size: 40 },
      { size: 50 },
    ],
    series: [
      {},
      ...series.map((s) =>
        s.kind === 'bars'
          ? { label: s.label, fill: s.color, stroke: s.color, paths: bars, points: { show: false } }
          : { label: s.label, stroke: s.color, width: 2, points: { show: true, size: 6, fill: s.color } },
      ),
    ],
  };
}

/** Draws the chart anew in the element with this id (a category axis: one label per group). */
export function drawChart(id: string, labels: readonly string[], series: readonly Series[]): void {
  const el = document.getElementById(id);
  if (el === null) return;
  charts.get(id)?.destroy();
  const data = [labels.map((_, i) => i), ...series.map((s) => [...s.values])] as uPlot.AlignedData;
  charts.set(id, new uPlot(options(Math.max(280, el.clientWidth), labels, series), data, el));
}
