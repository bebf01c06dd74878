/**
 * A uPlot line chart with event annotations (dashed vertical lines: hyperparameter changes,
 * pauses, forks) and a tooltip that lists, under the cursor, each curve's value with its step and
 * wall time (chart-hover.ts). uPlot's series layout is fixed at creation, so a new layout rebuilds
 * the plot; new data only calls setData.
 */
import uPlot from 'uplot';
import { cssVar } from '../lib/theme.svelte.ts';
import { formatDuration, formatNumber } from '../lib/format.ts';
import { hoverRows, sharedPosition, type HoverRow } from './chart-hover.ts';

export interface Series {
  label: string;
  color: string;
  values: (number | null)[];
  /** The env step and wall time of each point, aligned with the chart's xs (for the tooltip). */
  steps: (number | null)[];
  wallSeconds: (number | null)[];
  /** Drawn thin and translucent: the raw curve under its smoothed version. */
  faint?: boolean;
  /** Under a smoothed curve: the values before smoothing (the tooltip shows both). */
  raw?: (number | null)[];
  /** Held from one point to the next (a hyperparameter): drawn as steps, not slopes. */
  stepped?: boolean;
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
  private data: ChartData = { xs: [], series: [], annotations: [] };
  private tooltip: HTMLDivElement | null = null;

  constructor(
    private readonly element: HTMLElement,
    private readonly xLabel: () => string,
    private height: number,
  ) {}

  update(data: ChartData, width: number): void {
    this.data = data;
    const layout = JSON.stringify([data.series.map((s) => [s.label, s.color, s.faint, s.stepped]), this.xLabel()]);
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
    this.tooltip = null;
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
          ...(s.stepped && { paths: uPlot.paths.stepped!({ align: 1 }) }),
          show: true,
          value: (_u: uPlot, v: number | null) => formatNumber(v, 4),
        })),
      ],
      hooks: {
        draw: [(u) => this.drawAnnotations(u)],
        init: [(u) => this.createTooltip(u)],
        setCursor: [(u) => this.showTooltip(u)],
      },
    };
  }

  private createTooltip(u: uPlot): void {
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'chart-tooltip';
    this.tooltip.dataset.testid = 'chart-tooltip';
    this.tooltip.hidden = true;
    u.over.appendChild(this.tooltip);
  }

  private showTooltip(u: uPlot): void {
    const tooltip = this.tooltip;
    if (!tooltip) return;
    const { idx, left, top } = u.cursor;
    const rows = idx == null ? [] : hoverRows(this.data, idx);
    tooltip.hidden = rows.length === 0;
    if (tooltip.hidden) return;
    tooltip.replaceChildren(...tooltipLines(rows));
    // Beside the cursor, on the side with room.
    const x = left ?? 0;
    const y = top ?? 0;
    const width = u.over.clientWidth;
    tooltip.style.left = x > width / 2 ? '' : `${x + 14}px`;
    tooltip.style.right = x > width / 2 ? `${width - x + 14}px` : '';
    tooltip.style.top = `${Math.max(0, Math.min(y + 10, u.over.clientHeight - tooltip.offsetHeight))}px`;
  }

  private drawAnnotations(u: uPlot): void {
    const { annotations } = this.data;
    if (annotations.length === 0) return;
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
    for (const annotation of annotations) {
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

/** One line per curve (built as text: run names are the user's), and where it is when all share it. */
function tooltipLines(rows: readonly HoverRow[]): HTMLElement[] {
  const shared = sharedPosition(rows);
  const position = (row: { step: number | null; wallSeconds: number | null }) =>
    `step ${row.step?.toLocaleString('en-US') ?? '–'} · ${formatDuration(row.wallSeconds)}`;
  const lines = rows.map((row) => {
    const line = element('div', 'row');
    const swatch = element('i');
    swatch.style.background = row.color;
    const value = element('b', 'num', formatNumber(row.value, 4));
    line.append(swatch, element('span', 'label', row.label), value);
    if (row.smoothed !== null) line.append(element('span', 'sub num', `smoothed ${formatNumber(row.smoothed, 4)}`));
    if (!shared) line.append(element('span', 'sub num', position(row)));
    return line;
  });
  return shared ? [element('div', 'where num', position(shared)), ...lines] : lines;
}

function element(tag: string, className = '', text = ''): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

/** Fewer than two values: nothing to draw a line between (gaps are spanned). */
function hasNoLine(values: ArrayLike<number | null | undefined>): boolean {
  let count = 0;
  for (let i = 0; i < values.length && count < 2; i++) if (values[i] != null) count++;
  return count < 2;
}
