/**
 * Text drawn onto video frames: the run, env and algorithm, the policy's training step and the
 * episode's return so far, in boxes styled like the live viewer's overlay (the theme's design
 * tokens), scaled with the picture so a 320 px thumbnail and a 1080p video read alike.
 */
import { cssVar } from '../lib/theme.svelte.ts';
import type { Cell } from './layout.ts';

export interface Stat {
  caption: string;
  value: string;
  /** Shown after the value, dimmer: `/ 200`. */
  of?: string;
}

type Corner = 'top-left' | 'bottom-left' | 'top-right';

export class Overlay {
  private readonly colors = {
    panel: cssVar('--panel'),
    border: cssVar('--border'),
    text: cssVar('--text'),
    dim: cssVar('--text-3'),
    accent: cssVar('--accent'),
  };
  private readonly font = cssVar('--font');

  constructor(private readonly context: CanvasRenderingContext2D) {}

  /** A row of stat boxes in a corner of `cell`, wrapping onto more rows where the cell is narrow. */
  stats(cell: Cell, corner: Exclude<Corner, 'top-right'>, stats: Stat[]): void {
    const s = scaleOf(cell);
    const gap = 6 * s;
    const boxes = stats.map((stat) => ({ stat, ...this.measure(stat, s) }));
    const rows: (typeof boxes)[] = [[]];
    let x = 0;
    for (const box of boxes) {
      if (x > 0 && x + box.width > cell.width - 24 * s) {
        rows.push([]);
        x = 0;
      }
      rows[rows.length - 1].push(box);
      x += box.width + gap;
    }
    const height = boxes[0]?.height ?? 0;
    const top = corner === 'top-left' ? cell.y + 12 * s : cell.y + cell.height - 12 * s - rows.length * (height + gap) + gap;
    rows.forEach((row, r) => {
      let left = cell.x + 12 * s;
      for (const box of row) {
        this.box(box.stat, left, top + r * (height + gap), box.width, height, s);
        left += box.width + gap;
      }
    });
  }

  /** A pill in the cell's top-right corner, in the accent color. */
  badge(cell: Cell, text: string): void {
    const s = scaleOf(cell);
    const c = this.context;
    c.font = `500 ${11.5 * s}px ${this.font}`;
    const width = c.measureText(text).width + 20 * s;
    const height = 22 * s;
    const x = cell.x + cell.width - 12 * s - width;
    const y = cell.y + 12 * s;
    this.panel(x, y, width, height, height / 2, this.colors.accent);
    c.fillStyle = this.colors.accent;
    c.textBaseline = 'middle';
    c.fillText(text, x + 10 * s, y + height / 2);
  }

  /** A thin line around a montage cell, so neighbouring views do not run into each other. */
  outline(cell: Cell): void {
    const c = this.context;
    c.lineWidth = Math.max(1, scaleOf(cell));
    c.strokeStyle = this.colors.border;
    c.strokeRect(cell.x + 0.5, cell.y + 0.5, cell.width - 1, cell.height - 1);
  }

  private measure(stat: Stat, s: number): { width: number; height: number } {
    const c = this.context;
    c.font = this.captionFont(s);
    const caption = c.measureText(stat.caption.toUpperCase()).width;
    c.font = this.valueFont(s);
    let value = c.measureText(stat.value).width;
    if (stat.of) {
      c.font = this.ofFont(s);
      value += 4 * s + c.measureText(stat.of).width;
    }
    return { width: Math.max(caption, value) + 20 * s, height: 40 * s };
  }

  private box(stat: Stat, x: number, y: number, width: number, height: number, s: number): void {
    const c = this.context;
    this.panel(x, y, width, height, 8 * s, this.colors.border);
    c.textBaseline = 'alphabetic';
    c.fillStyle = this.colors.dim;
    c.font = this.captionFont(s);
    c.fillText(stat.caption.toUpperCase(), x + 10 * s, y + 15 * s);
    c.fillStyle = this.colors.text;
    c.font = this.valueFont(s);
    c.fillText(stat.value, x + 10 * s, y + 33 * s);
    if (stat.of) {
      const valueWidth = c.measureText(stat.value).width;
      c.fillStyle = this.colors.dim;
      c.font = this.ofFont(s);
      c.fillText(stat.of, x + 10 * s + valueWidth + 4 * s, y + 33 * s);
    }
  }

  private panel(x: number, y: number, width: number, height: number, radius: number, border: string): void {
    const c = this.context;
    c.beginPath();
    c.roundRect(x, y, width, height, radius);
    c.globalAlpha = 0.82;
    c.fillStyle = this.colors.panel;
    c.fill();
    c.globalAlpha = 1;
    c.lineWidth = 1;
    c.strokeStyle = border;
    c.stroke();
  }

  private captionFont(s: number): string {
    return `500 ${10.5 * s}px ${this.font}`;
  }

  private valueFont(s: number): string {
    return `600 ${14 * s}px ${this.font}`;
  }

  private ofFont(s: number): string {
    return `400 ${11 * s}px ${this.font}`;
  }
}

/** Sizes are the viewer's at 720 lines, scaled with the cell's height (never below legible). */
function scaleOf(cell: Cell): number {
  return Math.max(0.6, cell.height / 720) * 1.25;
}
