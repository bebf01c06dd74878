/**
 * The page's main thread as Chromium's tracing records it: for each task and each animation-frame
 * callback, its wall time and the CPU time the thread really ran. On a busy machine a task can
 * take 60 ms of wall time for 2 ms of work, the rest spent waiting for a core: the CPU time is
 * the page's own cost. Times are on the page's performance.now() clock, like PerformanceObserver's.
 */
import type { Browser, Page } from '@playwright/test';

export interface Slice {
  start: number;
  wallMs: number;
  cpuMs: number;
}

export interface MainThreadTrace {
  tasks: Slice[];
  animationFrames: Slice[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { message?: string } };
}

/** Marks the trace from inside the page, to find its thread and line up the two clocks. */
const MARK = 'gaitlab-trace-clock';
/** A top-level task of the thread's loop (the name has changed across Chromium versions). */
const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

export async function traceMainThread(browser: Browser, page: Page): Promise<{ stop(): Promise<MainThreadTrace> }> {
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  const markedAt = await page.evaluate((mark) => {
    console.timeStamp(mark);
    return performance.now();
  }, MARK);
  return {
    async stop() {
      const json = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(json) ? json : json.traceEvents;
      const mark = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === MARK);
      if (!mark) throw new Error('the trace holds no mark from the page');
      const offsetMs = mark.ts / 1000 - markedAt;
      const slices = (names: Set<string>): Slice[] =>
        events
          .filter((e) => e.ph === 'X' && e.pid === mark.pid && e.tid === mark.tid && names.has(e.name))
          // Without thread time recorded, the CPU time is taken as the wall time: never flattering.
          .map((e) => ({ start: e.ts / 1000 - offsetMs, wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 }));
      return { tasks: slices(TASK_NAMES), animationFrames: slices(new Set(['FireAnimationFrame'])) };
    },
  };
}

/** The CPU time of the traced slice around the middle of [start, start + wallMs], else the wall time itself. */
export function cpuMsOf(slices: Slice[], start: number, wallMs: number): number {
  const middle = start + wallMs / 2;
  return slices.find((s) => s.start <= middle && middle <= s.start + s.wallMs)?.cpuMs ?? wallMs;
}
