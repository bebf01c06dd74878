/**
 * Paint frames: animation frames, shared by everything that changes pixels (the viewer, its
 * overlay, the charts), at a capped rate where painting is costly. With software GL (SwiftShader)
 * each frame that changes anything at all makes Chromium's compositor redraw the whole window on
 * the CPU: 20-60 ms of CPU a frame at 1440x900, however small the change, taken from training. So
 * there updates wait for the next paint frame, a few a second, and land in it together instead of
 * each in a frame of its own. With a GPU every animation frame is a paint frame.
 */
import { isSoftwareGl } from './gpu-probe.ts';

/** Paint frames a second with software GL: playback stays real time, with frames skipped. */
const SOFTWARE_PAINT_FPS = 6;
/** The animation frame is requested this long before the next paint frame is due. */
const FRAME_SLACK_MS = 10;

export type PaintCallback = (now: number) => void;

const pending = new Set<PaintCallback>();
let intervalMs: number | undefined;
let lastPaint = -Infinity;
let scheduled = false;

/** Calls `callback` once, in the next paint frame (like requestAnimationFrame); a callback already waiting is not added twice. */
export function requestPaintFrame(callback: PaintCallback): void {
  pending.add(callback);
  if (!scheduled) schedule();
}

export function cancelPaintFrame(callback: PaintCallback): void {
  pending.delete(callback);
}

function schedule(): void {
  scheduled = true;
  intervalMs ??= isSoftwareGl() ? 1000 / SOFTWARE_PAINT_FPS : 0;
  // Most of the wait off the frame loop: an animation frame requested at once would wake the page
  // and the compositor every 16 ms for nothing.
  const wait = lastPaint + intervalMs - FRAME_SLACK_MS - performance.now();
  if (wait > 0) setTimeout(() => requestAnimationFrame(paint), wait);
  else requestAnimationFrame(paint);
}

function paint(now: number): void {
  scheduled = false;
  lastPaint = now;
  const callbacks = [...pending];
  pending.clear();
  for (const callback of callbacks) {
    try {
      callback(now);
    } catch (error) {
      // One failing update must not stop the others (nor later paint frames).
      reportError(error);
    }
  }
}
