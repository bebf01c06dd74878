/**
 * Live means live: a long Hopper run trains in serve mode beside a process that keeps a second core
 * busy. After its first minute, for another minute, the header's step is never more than one update
 * behind metrics.jsonl, and the trainer's memory stays flat (episodes never pile up behind metrics).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, keepScreenshot, runMetrics, startRunFromUi, test } from './fixtures.ts';

const WARM_UP_MS = 60_000;
const WINDOW_MS = 60_000;
const SAMPLE_MS = 500;
/** PPO's preset for Hopper-v0: num_envs 1 x num_steps 2048. */
const STEPS_PER_UPDATE = 2048;

/** Resident memory of a process, in MB (Linux). */
function rssMegabytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

test('a 1M-step Hopper run: the header keeps up with metrics.jsonl and the trainer does not grow', async ({ app: page, lab }) => {
  test.skip(!fs.existsSync('/proc/self/status'), "the trainer's memory is read from Linux's /proc");
  test.setTimeout(WARM_UP_MS + WINDOW_MS + 120_000);
  const spinner = spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
  try {
    const runId = await startRunFromUi(page, 'Hopper-v0');
    await expect(page.getByTestId('run-status')).toHaveText('running');
    // The trainer process is the run's one writer: its lock names it.
    const lockFile = path.join(lab.runsDir, runId, 'lock');
    await expect.poll(() => fs.existsSync(lockFile), { timeout: 60_000 }).toBe(true);
    const trainerPid = (JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number }).pid;

    await page.waitForTimeout(WARM_UP_MS);
    const rssBefore = rssMegabytes(trainerPid);
    let worstLag = 0,
      samples = 0;
    const lastStepOnDisk = () => runMetrics(lab, runId).at(-1)?.step ?? 0;
    const stepOnDiskAtStart = lastStepOnDisk();
    for (const end = Date.now() + WINDOW_MS; Date.now() < end; samples++) {
      // The page first, then the file: the file can only be further ahead by then.
      const shown = Number(await page.getByTestId('run-progress').getAttribute('data-step'));
      const onDisk = lastStepOnDisk();
      worstLag = Math.max(worstLag, onDisk - shown);
      expect(onDisk - shown, `header at step ${shown} while metrics.jsonl has step ${onDisk}`).toBeLessThanOrEqual(STEPS_PER_UPDATE);
      await page.waitForTimeout(SAMPLE_MS);
    }
    const rssAfter = rssMegabytes(trainerPid);
    const trained = lastStepOnDisk() - stepOnDiskAtStart;
    console.log(
      `live: ${samples} samples over ${WINDOW_MS / 1000} s, ${trained} steps trained, header at most ${worstLag} steps behind metrics.jsonl; ` +
        `trainer RSS ${rssBefore.toFixed(1)} -> ${rssAfter.toFixed(1)} MB`,
    );
    expect(trained, 'the run trained during the window').toBeGreaterThan(STEPS_PER_UPDATE);
    expect(rssAfter - rssBefore, 'trainer RSS growth after its first minute (MB)').toBeLessThan(10);
    await keepScreenshot(page, 'hopper-live-1M');
    await page.getByTestId('stop-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
  } finally {
    spinner.kill();
  }
});
