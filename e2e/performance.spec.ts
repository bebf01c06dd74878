/**
 * Measured with the UI open while a run trains at full speed: the page stays responsive (no long
 * task over 50 ms in a 30 s window, the viewer's per-frame JS under 4 ms), and training runs at
 * least 90 % as fast as the same run from the CLI.
 *
 * These are wall times, and on a machine that other work keeps busy they measure that work too: a
 * task of 2 ms takes 60 ms while its thread waits for a core. So the page's own cost is always
 * checked against the limits as CPU time (Chromium's trace of the main thread), and the wall times
 * are checked when other processes left the machine to the test; when they did not, the wall
 * times are printed and the test is annotated with what was not checked and why.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { watchCpu, type CpuLoad } from './cpu-load.ts';
import { cpuMsOf, traceMainThread } from './renderer-trace.ts';
import { expect, keepScreenshot, runMetrics, startRunFromUi, test, type LongTask } from './fixtures.ts';

const WINDOW_MS = 30_000;
const LONG_TASK_MS = 50;
const FRAME_P95_MS = 4;
/** A rare frame may pass FRAME_P95_MS, but never so far that it misses a 60 Hz frame. */
const FRAME_WORST_MS = 16;
const SPEED_SHARE = 0.9;
/** The share of the machine other processes may use while wall times still count as GaitLab's own. */
const OUTSIDE_LOAD_LIMIT = 0.1;
/** The test's own processes: the runner, its workers, their browsers, trainers and CLI runs. */
const OURS = process.ppid;

/** The same run from the CLI, for as many steps: its training speed in env steps per second. */
function cliStepsPerSecond(steps: number): number {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-e2e-cli-'));
  try {
    const out = execFileSync(process.execPath, ['bin/gaitlab.js', 'train', '--env', 'Pendulum-v1', '--steps', String(steps), '--runs', runsDir, '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const summary = JSON.parse(out.trim().split('\n').at(-1)!) as { step: number; wall_s: number };
    return summary.step / summary.wall_s;
  } finally {
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
}

/** Whether wall times measured under `load` are the test's own; if not, says so in the output and on the test. */
function wallTimesCount(what: string, load: CpuLoad | null): boolean {
  if (!load || load.outsideCores <= OUTSIDE_LOAD_LIMIT * load.cores) return true;
  const reason = `${what}: not checked in wall time, other processes kept ${load.outsideCores.toFixed(2)} of ${load.cores} cores busy`;
  console.log(reason);
  test.info().annotations.push({ type: 'not checked', description: reason });
  return false;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

test('the UI stays responsive while a run trains at full speed, and training keeps its speed', async ({ app: page, lab, browser }) => {
  test.setTimeout(240_000);
  // A budget that outlasts the window; the run is stopped after it.
  const runId = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '10000000' });
  await expect.poll(() => runMetrics(lab, runId).length).toBeGreaterThan(1);

  // Starting the trace is a long task of its own (the test's, not the page's): the window opens
  // after it, and its entry, which the observer may report later, is before the window.
  const trace = await traceMainThread(browser, page);
  const windowStart = await page.evaluate(() => performance.now());
  const machine = watchCpu(OURS);
  // The viewer publishes its frames once a second; read twice as often, each frame once (by its start).
  const frameMs = new Map<number, number>();
  const end = Date.now() + WINDOW_MS;
  while (Date.now() < end) {
    await page.waitForTimeout(500);
    const published = (await page.getByTestId('viewer').getAttribute('data-frame-times')) ?? '';
    for (const frame of published.split(' ').filter(Boolean)) {
      const [start, wall] = frame.split(':').map(Number);
      frameMs.set(start, wall);
    }
  }
  const load = machine.stop();
  // Stopping the trace is the test's own work too: the window closes before it.
  const windowEnd = await page.evaluate(() => performance.now());
  const { tasks, animationFrames } = await trace.stop();
  const longTasks = (await page.evaluate(() => (window as unknown as { longTasks: LongTask[] }).longTasks))
    .filter((task) => task.start >= windowStart && task.start < windowEnd)
    .map((task) => ({ wall: task.ms, cpu: cpuMsOf(tasks, task.start, task.ms) }));
  const frames = [...frameMs].map(([start, wall]) => ({ wall, cpu: cpuMsOf(animationFrames, start, wall) }));
  await keepScreenshot(page, 'performance-window-dark');

  if (load) console.log(`other processes kept ${load.outsideCores.toFixed(2)} of ${load.cores} cores busy during the window`);
  console.log(`long tasks in ${WINDOW_MS / 1000} s: ${longTasks.map((t) => `${ms(t.wall)} (CPU ${ms(t.cpu)})`).join(', ') || 'none'}`);
  const wall = frames.map((f) => f.wall);
  const cpu = frames.map((f) => f.cpu);
  console.log(
    `viewer: ${frames.length} frames drawn; per-frame JS median ${ms(percentile(wall, 0.5))}, p95 ${ms(percentile(wall, 0.95))}, worst ${ms(Math.max(...wall))}` +
      ` (CPU p95 ${ms(percentile(cpu, 0.95))}, worst ${ms(Math.max(...cpu))})`,
  );
  expect(frames.length, 'the viewer draws while training').toBeGreaterThan(WINDOW_MS / 1000);
  // The page's own work, whatever else the machine is doing.
  expect(Math.max(0, ...longTasks.map((t) => t.cpu)), 'longest renderer task, CPU (ms)').toBeLessThanOrEqual(LONG_TASK_MS);
  expect(percentile(cpu, 0.95), 'viewer per-frame JS, 95th percentile, CPU (ms)').toBeLessThan(FRAME_P95_MS);
  expect(Math.max(...cpu), 'viewer per-frame JS, worst, CPU (ms)').toBeLessThan(FRAME_WORST_MS);
  // What a user of this machine would feel.
  if (wallTimesCount('responsiveness', load)) {
    expect(Math.max(0, ...longTasks.map((t) => t.wall)), 'longest renderer task (ms)').toBeLessThanOrEqual(LONG_TASK_MS);
    expect(percentile(wall, 0.95), 'viewer per-frame JS, 95th percentile (ms)').toBeLessThan(FRAME_P95_MS);
    expect(Math.max(...wall), 'viewer per-frame JS, worst (ms)').toBeLessThan(FRAME_WORST_MS);
  }

  // The trainer's own measure (env steps per second of training, as the CLI reports it) at the window's end.
  const last = runMetrics(lab, runId).at(-1)!;
  await page.getByTestId('stop-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  // From the CLI means with no UI at all: the page stops drawing while the CLI trains.
  await page.goto('about:blank');
  const cliMachine = watchCpu(OURS);
  const cliSps = cliStepsPerSecond(last.step!);
  const cliLoad = cliMachine.stop();
  if (cliLoad) console.log(`other processes kept ${cliLoad.outsideCores.toFixed(2)} of ${cliLoad.cores} cores busy during the CLI run`);
  console.log(`training speed over ${last.step} steps: UI open ${last.sps!.toFixed(0)} steps/s, CLI ${cliSps.toFixed(0)} steps/s (${((100 * last.sps!) / cliSps).toFixed(1)} %)`);
  const busier = [load, cliLoad].reduce<CpuLoad | null>((a, b) => (!a || (b && b.outsideCores > a.outsideCores) ? b : a), null);
  if (wallTimesCount('training speed', busier)) expect(last.sps! / cliSps, 'training speed with the UI open / from the CLI').toBeGreaterThanOrEqual(SPEED_SHARE);
});
