/**
 * Paint frames: animation frames, shared by everything that changes pixels (the viewer, its
 * overlay, the charts, the state the Lab streams in), at a capped rate where painting is costly.
 * With software GL (SwiftShader) each frame that changes anything at all makes Chromium's
 * compositor redraw the whole window on the CPU, however small the change: 20 ms of CPU for a
 * blank 1440x900 page, several times that for this one on a busy machine, all taken from training.
 * So there updates wait for the next paint frame, a few a second, and land in it together instead
 * of each in a frame of its own. With a GPU every animation frame is a paint frame.
 */
import { isSoftwareGl } from './gpu-probe.ts';

/**
 * Paint frames a second with software GL, while a run trains (here or from the CLI) and while
 * none does. Playback stays real time, with frames skipped.
 */
const SOFTWARE_PAINT_FPS = { training: 5, idle: 12 };
/** The animation frames are requested this long before the next paint frame is due. */
const FRAME_SLACK_MS = 10;

export type PaintCallback = (now: number) => void;

/** Callbacks for a paint frame that is not due yet. */
const waiting = new Set<PaintCallback>();
/** Callbacks requested of the coming animation frame, with their handles. */
const requested = new Map<PaintCallback, number>();
/** The coming animation frame is a paint frame: callbacks go straight to it. */
let due = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastPaint = -Infinity;
let software: boolean | undefined;
let training = false;

/** Whether a run trains: with software GL, painting then leaves more of the CPU to it. */
export function setTraining(value: boolean): void {
  training = value;
}

/** Calls `callback` once, in the next paint frame (like requestAnimationFrame); a callback already waiting is not added twice. */
export function requestPaintFrame(callback: PaintCallback): void {
  if (requested.has(callback)) return;
  const interval = intervalMs();
  if (due || interval === 0) {
    request(callback);
    return;
  }
  waiting.add(callback);
  // The wait is spent off the frame loop: animation frames requested at once would wake the page
  // and the compositor every 16 ms for nothing.
  timer ??= setTimeout(open, lastPaint + interval - FRAME_SLACK_MS - performance.now());
}

export function cancelPaintFrame(callback: PaintCallback): void {
  waiting.delete(callback);
  const handle = requested.get(callback);
  if (handle !== undefined) cancelAnimationFrame(handle);
  requested.delete(callback);
}

/**
 * Applies `update` (new state for the page to show) in the next paint frame, so that what it
 * changes is painted along with everything else; at once while the page is hidden, which gets no
 * frames and paints nothing.
 */
export function paintLater(update: () => void): void {
  if (document.hidden) update();
  else requestPaintFrame(update);
}

function intervalMs(): number {
  software ??= isSoftwareGl();
  return software ? 1000 / SOFTWARE_PAINT_FPS[training ? 'training' : 'idle'] : 0;
}

/** Makes the coming animation frame a paint frame, with every waiting callback. */
function open(): void {
  timer = undefined;
  due = true;
  // First in the frame: what its callbacks request in turn waits for the next paint frame.
  requestAnimationFrame((now) => {
    due = false;
    lastPaint = now;
  });
  for (const callback of waiting) request(callback);
  waiting.clear();
}

/** Each callback in an animation frame callback of its own, as requestAnimationFrame would. */
function request(callback: PaintCallback): void {
  const handle = requestAnimationFrame((now) => {
    requested.delete(callback);
    callback(now);
  });
  requested.set(callback, handle);
}
