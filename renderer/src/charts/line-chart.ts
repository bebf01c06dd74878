/**
 * A uPlot line chart with event annotations (dashed vertical lines: hyperparameter changes,
 * pauses, forks). uPlot's series layout is fixed at creation, so a new layout rebuilds the plot;
 * new data only calls setData.
 */
import uPlot from 'uplot';
import { cssVar } from '../lib/theme.svelte.ts';
import { formatNumber } from '../lib/format.ts';

export interface Series {
  label: string;
  color: string;
  values: (number | null)[];
  /** Drawn thin and translucent: the raw curve under its smoothed version. */
  faint?: boolean;
}

export interface Annotation {
  x: number;
  label: string;
}

export interface ChartData {
  xs: number[];
  series: Series[];
  annotations: Annotation[];
}

export class LineChart {
  private plot: uPlot | null = null;
  private layout = '';
  private annotations: Annotation[] = [];

  constructor(
    private readonly element: HTMLElement,
    private readonly xLabel: () => string,
    private height: number,
  ) {}

  update(data: ChartData, width: number): void {
    this.annotations = data.annotations;
    const layout = JSON.stringify([data.series.map((s) => [s.label, s.color, s.faint]), this.xLabel()]);
    const columns: uPlot.AlignedData = [data.xs, ...data.series.map((s) => s.values)];
    if (!this.plot || layout !== this.layout) {
      this.plot?.destroy();
      this.layout = layout;
      this.plot = new uPlot(this.options(data.series, width), columns, this.element);
    } else {
      this.plot.setData(columns);
    }
  }

  resize(width: number): void {
    this.plot?.setSize({ width, height: this.height });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private options(series: Series[], width: number): uPlot.Options {
    const axis = cssVar('--chart-axis');
    const grid = cssVar('--chart-grid');
    const font = `11px ${cssVar('--font')}`;
    const axisStyle = { stroke: axis, font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1, size: 4 } };
    return {
      width,
      height: this.height,
      // The panel draws its own compact legend; uPlot's would list the raw curves too.
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      scales: { x: { time: false } },
      axes: [
        { ...axisStyle, label: undefined, values: (_u, ticks) => ticks.map((t) => formatNumber(t, 3)) },
        { ...axisStyle, size: 52, values: (_u, ticks) => ticks.map((t) => formatNumber(t, 3)) },
      ],
      series: [
        { label: this.xLabel(), value: (_u, v) => formatNumber(v, 4) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.faint ? `${s.color}55` : s.color,
          width: s.faint ? 1 : 1.75,
          // Lines only, but a lone value (the first episode's return, say) has no line: it gets a dot.
          points: { show: s.faint ? false : (u: uPlot, index: number) => hasNoLine(u.data[index]), size: 6, fill: s.color },
          spanGaps: true,
          show: true,
          value: (_u: uPlot, v: number | null) => formatNumber(v, 4),
        })),
      ],
      hooks: { draw: [(u) => this.drawAnnotations(u)] },
    };
  }

  private drawAnnotations(u: uPlot): void {
    if (this.annotations.length === 0) return;
    const ctx = u.ctx;
    const { top, height, left, width } = u.bbox;
    const color = cssVar('--warn');
    ctx.save();
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.font = `${10 * devicePixelRatio}px ${cssVar('--font')}`;
    // uPlot leaves the alignment of its last axis label on the context.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    for (const annotation of this.annotations) {
      const x = Math.round(u.valToPos(annotation.x, 'x', true));
      if (x < left || x > left + width) continue;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillText(annotation.label, x + 4 * devicePixelRatio, top + 3 * devicePixelRatio);
    }
    ctx.restore();
  }
}

/** Fewer than two values: nothing to draw a line between (gaps are spanned). */
function hasNoLine(values: ArrayLike<number | null | undefined>): boolean {
  let count = 0;
  for (let i = 0; i < values.length && count < 2; i++) if (values[i] != null) count++;
  return count < 2;
}
