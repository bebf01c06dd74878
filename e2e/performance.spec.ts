/**
 * Measured with the UI open while a run trains at full speed: the page stays responsive (no long
 * task over 50 ms in a 30 s window, the viewer's per-frame JS under 4 ms), and training runs at
 * least 90 % as fast as the same run from the CLI. And the same responsiveness while the run's
 * video schedule records into it (a headless browser rendering and encoding beside the trainer).
 *
 * These are wall times, and on a machine that other work keeps busy they measure that work too: a
 * task of 2 ms takes 60 ms while its thread waits for a core. So the page's own cost is always
 * checked against the limits as CPU time (Chromium's trace of the main thread), and the wall times
 * are checked when other processes left the machine to the test; when they did not, the wall
 * times are printed and the test is annotated with what was not checked and why.
 *
 * A virtual machine's speed also drifts by itself: the same CLI run goes 4,400 to 6,100 steps/s
 * from one 20k-step stretch to the next, with nothing else running that it can see. So the two
 * speeds are measured in turns (UI, CLI, CLI, UI, UI, CLI: a drift favours neither) and compared
 * over all turns, each from the trainers' own metrics rows after their first update (which holds
 * the JIT's warm-up).
 *
 * And a virtual machine's two cores need not be two cores' worth: on some hosts (hyperthreads of
 * one core, say) whatever runs on the second slows the first, which no process in the machine can
 * see. There the page's CPU slows training however little of it the page uses, and the speed
 * check would measure the host. So the test also asks the machine what a busy second core costs:
 * the CLI alone, and beside a process that keeps one core busy the way the page's rasterizer does
 * (float math streamed through more memory than the caches hold; on this VM such a neighbour cost
 * the CLI 1-30 % from one minute to the next, where a bare `for (;;);` cost it 0-5 %, so the spin
 * loop undercounted the host). Where that costs the CLI under a twentieth, the cores are
 * independent and the UI's training speed must be 90 % of the CLI's.
 * Where it costs more, the UI may lose that cost in proportion to the CPU the page used, and 10 %
 * more, no further; the page's CPU must stay under its budget everywhere. The test says which
 * check it made, in its output and its annotations.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { watchCpu, type CpuLoad } from './cpu-load.ts';
import { cpuMsOf, traceMainThread } from './renderer-trace.ts';
import type { Browser, Page } from '@playwright/test';
import { expect, keepScreenshot, runMetrics, startRunFromUi, test, type LongTask } from './fixtures.ts';
import type { MetricsRow } from '../main/lab/api.ts';
import { TRAINER_ENTRY } from '../main/lab/trainer-launcher.ts';
import { engineEntry, nodeArgs } from '../sim/core/engine-entry.ts';

// Playwright's own trace screencasts the page (a JPEG per frame) and snapshots it at every action:
// CPU taken from the cores these tests measure. They keep screenshots of their own instead.
test.use({ trace: 'off' });

const WINDOW_MS = 30_000;
const LONG_TASK_MS = 50;
const FRAME_P95_MS = 4;
/** A rare frame may pass FRAME_P95_MS, but never so far that its own work misses a 60 Hz frame. */
const FRAME_WORST_MS = 16;
/**
 * In wall time, the share of frames that may miss a 60 Hz frame: with the trainer, a recorder and
 * the page on two cores, the scheduler now and then runs another process through a frame (seen
 * once: 20.9 ms of wall for 2.5 ms of CPU, one frame in 158). One in a hundred, no more.
 */
const FRAME_MISSED_SHARE = 0.01;
/**
 * In wall time, a single long task may pass LONG_TASK_MS by being descheduled, not by working: seen
 * once in a clean-clone run, 52 ms of wall for 4.5 ms of CPU while the trainer, the recorder and
 * SwiftShader's GL shared the two cores. One such task in the window, under twice the bound; every
 * task's CPU stays within LONG_TASK_MS (checked above it).
 */
const LONG_TASK_WALL_WORST_MS = 2 * LONG_TASK_MS;
const SPEED_SHARE = 0.9;
/** Turns of each, UI and CLI (even: the last ends with the UI open), and how long a UI turn lasts. */
const TURNS = 6;
const TURN_MS = 7_000;
/** Turns of the CLI alone and beside a process keeping one core busy (BUSY_CORE_SCRIPT). */
const CALIBRATION_TURNS = 3;
/** A core kept busy like a software rasterizer keeps one: float math streamed through 32 MB. */
const BUSY_CORE_SCRIPT =
  'const n = 1 << 23, a = new Float32Array(n), b = new Float32Array(n).fill(1); for (;;) for (let i = 0; i < n; i++) a[i] = a[i] * 0.999 + b[i];';
/** Cores are independent when a busy second core costs the CLI less than this. */
const INDEPENDENT_CORES_COST = 0.05;
/** What the page, its browser and the Lab server may use while a run trains (cores, in CPU time): the trainer keeps a core. */
const PAGE_CPU_BUDGET = 1;
/** The share of the machine other processes may use while wall times still count as GaitLab's own. */
const OUTSIDE_LOAD_LIMIT = 0.1;
/** The test's own processes: the runner, its workers, their browsers, trainers and CLI runs. */
const OURS = process.ppid;

/** Env steps and the training seconds they took, from a trainer's metrics rows. */
interface Stretch {
  steps: number;
  seconds: number;
}

/** What the trainer did between two of its metrics rows. */
function stretch(from: MetricsRow, to: MetricsRow): Stretch {
  return { steps: to.step! - from.step!, seconds: to.wall_s! - from.wall_s! };
}

const sum = (stretches: Stretch[]): Stretch =>
  stretches.reduce((a, b) => ({ steps: a.steps + b.steps, seconds: a.seconds + b.seconds }), { steps: 0, seconds: 0 });
const speed = ({ steps, seconds }: Stretch): number => steps / seconds;

/** The same run from the CLI, for `steps` env steps: what it trained after its first update. */
async function cliStretch(steps: number): Promise<Stretch> {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-e2e-cli-'));
  try {
    // Not synchronous: the CPU watcher samples meanwhile.
    const { stdout: out } = await promisify(execFile)(
      process.execPath,
      nodeArgs(engineEntry('main/cli/cli.ts'), ['train', '--env', 'Pendulum-v1', '--steps', String(steps), '--runs', runsDir, '--json']),
      { encoding: 'utf8' },
    );
    const { dir } = JSON.parse(out.trim().split('\n').at(-1)!) as { dir: string };
    const rows = fs
      .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as MetricsRow);
    return stretch(rows[0], rows.at(-1)!);
  } finally {
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
}

/** A Lab trainer process (its command line names the trainer's entry). */
function isTrainer(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.basename(TRAINER_ENTRY.file));
  } catch {
    return false;
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

/**
 * Watches the page for WINDOW_MS while whatever the caller started goes on, then checks that it
 * stayed responsive: no long task over LONG_TASK_MS of the page's CPU (in wall time, at most one,
 * under LONG_TASK_WALL_WORST_MS), the viewer drawing at least once a second in under FRAME_P95_MS
 * of JS (95th percentile). `screenshot` names the picture kept of it.
 */
async function expectResponsiveWindow(page: Page, browser: Browser, what: string, screenshot: string): Promise<void> {
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
  // The first read holds the second before the window too, when the trace was starting: only the window's frames count.
  const frames = [...frameMs]
    .filter(([start]) => start >= windowStart && start < windowEnd)
    .map(([start, wall]) => ({ wall, cpu: cpuMsOf(animationFrames, start, wall) }));
  await keepScreenshot(page, screenshot);

  console.log(`while ${what}:`);
  if (load) console.log(`  other processes kept ${load.outsideCores.toFixed(2)} of ${load.cores} cores busy during the window`);
  console.log(`  long tasks in ${WINDOW_MS / 1000} s: ${longTasks.map((t) => `${ms(t.wall)} (CPU ${ms(t.cpu)})`).join(', ') || 'none'}`);
  const wall = frames.map((f) => f.wall);
  const cpu = frames.map((f) => f.cpu);
  console.log(
    `  viewer: ${frames.length} frames drawn; per-frame JS median ${ms(percentile(wall, 0.5))}, p95 ${ms(percentile(wall, 0.95))}, worst ${ms(Math.max(...wall))}` +
      ` (CPU p95 ${ms(percentile(cpu, 0.95))}, worst ${ms(Math.max(...cpu))})`,
  );
  expect(frames.length, `the viewer draws while ${what}`).toBeGreaterThan(WINDOW_MS / 1000);
  // The page's own work, whatever else the machine is doing.
  expect(Math.max(0, ...longTasks.map((t) => t.cpu)), 'longest renderer task, CPU (ms)').toBeLessThanOrEqual(LONG_TASK_MS);
  expect(percentile(cpu, 0.95), 'viewer per-frame JS, 95th percentile, CPU (ms)').toBeLessThan(FRAME_P95_MS);
  expect(Math.max(...cpu), 'viewer per-frame JS, worst, CPU (ms)').toBeLessThan(FRAME_WORST_MS);
  // What a user of this machine would feel.
  if (wallTimesCount('responsiveness', load)) {
    const overLong = longTasks.filter((t) => t.wall > LONG_TASK_MS);
    expect(overLong.length, `renderer tasks over ${LONG_TASK_MS} ms in wall time`).toBeLessThanOrEqual(1);
    expect(Math.max(0, ...longTasks.map((t) => t.wall)), 'longest renderer task (ms)').toBeLessThanOrEqual(LONG_TASK_WALL_WORST_MS);
    expect(percentile(wall, 0.95), 'viewer per-frame JS, 95th percentile (ms)').toBeLessThan(FRAME_P95_MS);
    const missed = wall.filter((frameWall) => frameWall >= FRAME_WORST_MS).length;
    expect(missed, `viewer frames of ${FRAME_WORST_MS} ms or more in wall time, of ${wall.length}`).toBeLessThanOrEqual(
      Math.floor(FRAME_MISSED_SHARE * wall.length),
    );
  }
}

test('the UI stays responsive while a run trains at full speed, and training keeps its speed', async ({ app: page, lab, browser }) => {
  test.setTimeout(360_000);
  // A budget that outlasts the window; the run is stopped after it.
  const runId = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '10000000' });
  await expect.poll(() => runMetrics(lab, runId).length).toBeGreaterThan(1);
  await expectResponsiveWindow(page, browser, 'a run trains', 'performance-window-dark');
  // With software GL the charts draw on the CPU: rastered by SwiftShader, their cost grew with the
  // run's length (renderer/src/lib/cpu-canvas.ts).
  const chartCanvases = await page
    .locator('[data-testid^="chart-"] canvas')
    .evaluateAll((canvases) => canvases.map((canvas) => (canvas as HTMLCanvasElement).getContext('2d')?.getContextAttributes().willReadFrequently));
  expect(chartCanvases.length, 'chart canvases on the page').toBeGreaterThan(0);
  expect(chartCanvases, 'chart canvases kept on the CPU (willReadFrequently)').toEqual(chartCanvases.map(() => true));

  // Training speed in turns: the run with the UI open, and (the run paused, the page gone) the same
  // run from the CLI for as many steps, in the order UI, CLI, CLI, UI, UI, CLI. A machine whose
  // speed drifts through the turns then favours neither: with the UI first in every pair, a machine
  // speeding up (CI's once did, its CLI from 6,378 steps/s in the first turn to 9,678 in the
  // second) counted all of the rise against the UI.
  const ui: Stretch[] = [];
  const cli: Stretch[] = [];
  /** The page's CPU in each UI turn: everything the test runs but the trainer. */
  const pageCores: number[] = [];
  /** The trainer's CPU in each UI turn: under a core when the page took some of its time. */
  const trainerCores: number[] = [];
  /** A CLI turn's steps: as many as the last UI turn trained, and one update more for the warm-up. */
  let cliSteps = 0;
  const uiTurn = async (): Promise<void> => {
    const from = runMetrics(lab, runId).at(-1)!;
    const turnLoad = watchCpu(OURS, isTrainer);
    await page.waitForTimeout(TURN_MS);
    const [before, last] = runMetrics(lab, runId).slice(-2);
    ui.push(stretch(from, last));
    cliSteps = ui.at(-1)!.steps + last.step! - before.step!;
    const load = turnLoad.stop();
    if (load) {
      pageCores.push(load.treeCores);
      trainerCores.push(load.asideCores);
    }
  };
  const leavePage = async (): Promise<void> => {
    await page.getByTestId('pause-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('paused');
    await page.goto('about:blank');
  };
  const reopenPage = async (): Promise<void> => {
    await page.goto(lab.server.url);
    await page.locator(`[data-testid="run-item"][data-run-id="${runId}"]`).click();
    // Opening the page and the run (scripts, the scene, its shaders) is not what a turn measures:
    // training resumes once the viewer draws again.
    await page.getByTestId('viewer').evaluate((viewer) => delete viewer.dataset.frameTimes);
    await expect.poll(() => page.getByTestId('viewer').getAttribute('data-frame-times')).toBeTruthy();
    await page.getByTestId('resume-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('running');
    // The first row after resuming starts the next turn.
    const resumedAt = runMetrics(lab, runId).length;
    await expect.poll(() => runMetrics(lab, runId).length).toBeGreaterThan(resumedAt);
  };
  const speedMachine = watchCpu(OURS);
  for (let turn = 0; turn < TURNS; turn++) {
    if (turn % 2 === 0) {
      await uiTurn();
      await leavePage();
      cli.push(await cliStretch(cliSteps));
    } else {
      cli.push(await cliStretch(cliSteps));
      await reopenPage();
      await uiTurn();
    }
  }
  await page.getByTestId('stop-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');

  // The machine's answer: what a busy second core costs the CLI here (with the page gone: its
  // paint frames would take a core's share of their own).
  await page.goto('about:blank');
  const pageCpu = pageCores.reduce((a, b) => a + b, 0) / Math.max(1, pageCores.length);
  const alone: Stretch[] = [];
  const beside: Stretch[] = [];
  const turnSteps = Math.round(sum(cli).steps / cli.length);
  for (let turn = 0; turn < CALIBRATION_TURNS; turn++) {
    alone.push(await cliStretch(turnSteps));
    const busyCore = spawn(process.execPath, ['-e', BUSY_CORE_SCRIPT], { stdio: 'ignore' });
    try {
      beside.push(await cliStretch(turnSteps));
    } finally {
      busyCore.kill();
    }
  }
  const speedLoad = speedMachine.stop();

  if (speedLoad) console.log(`other processes kept ${speedLoad.outsideCores.toFixed(2)} of ${speedLoad.cores} cores busy during the speed turns`);
  const cores = (i: number): string => (i < trainerCores.length ? ` (trainer ${trainerCores[i].toFixed(2)}, page ${pageCores[i].toFixed(2)} cores)` : '');
  const turns = ui.map((u, i) => `${speed(u).toFixed(0)}/${speed(cli[i]).toFixed(0)}${cores(i)}`).join(', ');
  const share = speed(sum(ui)) / speed(sum(cli));
  console.log(
    `training speed, UI open / CLI, steps/s by turn: ${turns}; over all: ${speed(sum(ui)).toFixed(0)} / ${speed(sum(cli)).toFixed(0)} (${(100 * share).toFixed(1)} %)`,
  );
  const busyCoreCost = Math.max(0, 1 - speed(sum(beside)) / speed(sum(alone)));
  console.log(
    `the page used ${pageCpu.toFixed(2)} cores (browser, page and Lab server, CPU time); a second core kept busy cost the CLI ` +
      `${(100 * busyCoreCost).toFixed(1)} % (${speed(sum(beside)).toFixed(0)} steps/s beside it, ${speed(sum(alone)).toFixed(0)} alone)`,
  );
  expect(pageCpu, "the page's CPU while a run trains (cores)").toBeLessThan(PAGE_CPU_BUDGET);
  if (!wallTimesCount('training speed', speedLoad)) return;
  if (busyCoreCost < INDEPENDENT_CORES_COST) {
    expect(share, 'training speed with the UI open / from the CLI').toBeGreaterThanOrEqual(SPEED_SHARE);
    return;
  }
  const hostCost = busyCoreCost * Math.min(1, pageCpu);
  const reason =
    `this machine's cores are not independent (a busy second core costs the CLI ${(100 * busyCoreCost).toFixed(1)} %): ` +
    `the UI's speed is checked against the CLI's less ${(100 * hostCost).toFixed(1)} %, what the page's ${pageCpu.toFixed(2)} cores cost any process here`;
  console.log(reason);
  test.info().annotations.push({ type: 'checked against the machine', description: reason });
  expect(share / (1 - hostCost), "training speed with the UI open / from the CLI, less what the page's CPU costs any process here").toBeGreaterThanOrEqual(
    SPEED_SHARE,
  );
});

test('the UI stays responsive while a run trains and its video schedule records', async ({ app: page, lab, browser }) => {
  test.setTimeout(240_000);
  const runId = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '10000000' });
  // Gymnasium's capped-cubic schedule records training episodes 0 and 1 at once: 200 frames each at 720p.
  await page.getByTestId('record-schedule-plan').selectOption('capped-cubic');
  await page.getByTestId('record-schedule').check();
  const progress = page.getByTestId('record-progress');
  await expect(progress).toBeVisible({ timeout: 60_000 });
  const framesRecorded = (): Promise<number> => progress.evaluate((bar: HTMLProgressElement) => bar.value);
  const recordedBefore = await framesRecorded();
  const stepBefore = runMetrics(lab, runId).at(-1)?.step ?? 0;

  await expectResponsiveWindow(page, browser, 'a run trains and records a video', 'performance-recording-dark');

  // Both went on meanwhile: the recording (frames or a next video) and the training.
  const videosDir = path.join(lab.runsDir, runId, 'videos');
  const videos = fs.existsSync(videosDir) ? fs.readdirSync(videosDir).filter((name) => !name.startsWith('.')) : [];
  const recordedAfter = (await progress.isVisible()) ? await framesRecorded() : Infinity;
  console.log(
    `  meanwhile: recorded frames ${recordedBefore} -> ${recordedAfter === Infinity ? 'done' : recordedAfter}, videos ${videos.join(', ') || 'none yet'}; trained steps ${stepBefore} -> ${runMetrics(lab, runId).at(-1)!.step}`,
  );
  expect(videos.length > 0 || recordedAfter > recordedBefore, 'the recording advances').toBe(true);
  expect(runMetrics(lab, runId).at(-1)!.step!, 'the run trains').toBeGreaterThan(stepBefore);
  // Nothing of this test outlives it in the Lab its worker's tests share: with the schedule off
  // the queued video is dropped, and the one under way is cancelled, its unfinished file removed.
  await page.getByTestId('record-schedule').uncheck();
  await page.getByTestId('stop-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
  if (await progress.isVisible()) {
    await page.getByTestId('record-cancel').click();
    await expect(page.getByTestId('record-panel')).toContainText('recording cancelled');
    await expect(progress).toBeHidden();
    const left = fs.existsSync(videosDir) ? fs.readdirSync(videosDir).filter((name) => name.startsWith('.')) : [];
    expect(left, 'unfinished files left in videos/').toEqual([]);
  }
});
