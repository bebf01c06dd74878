/**
 * Chart redraws share a per-frame time budget: when a metrics row updates a dozen charts at once,
 * they are drawn over a few frames instead of in one long task that would stall the viewer. They
 * are drawn in paint frames (../lib/paint-frames.ts), the frames the viewer draws in too.
 */
import { requestPaintFrame } from '../lib/paint-frames.ts';

const BUDGET_MS = 6;
const queue = new Map<object, () => void>();

/** Draws `draw` in a coming frame; a newer request for the same key replaces an older one. */
export function scheduleRedraw(key: object, draw: () => void): void {
  queue.set(key, draw);
  requestPaintFrame(drawSome);
}

export function cancelRedraw(key: object): void {
  queue.delete(key);
}

function drawSome(): void {
  const start = performance.now();
  for (const [key, draw] of queue) {
    queue.delete(key);
    draw();
    if (performance.now() - start > BUDGET_MS) break;
  }
  if (queue.size > 0) requestPaintFrame(drawSome);
}
