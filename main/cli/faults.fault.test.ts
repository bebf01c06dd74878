/**
 * The fault suite (`npm run test:faults`): real `gaitlab` processes killed, signalled, starved of
 * disk and raced, on Pendulum-v1 with tiny updates, checking after each fault that nothing is lost
 * beyond the update in progress and that every file of the run still reads as one history.
 * Prints one report line: `faults: kills N, survived N, ...`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { seededUniform } from '../rl/numeric.test-support.ts';
import { RunStore } from '../store/run-store.ts';
import { checkpointFolders, CliProcess, gaitlab, loggedSteps, pause, QUICK_PPO, runStatus } from './cli-process.test-support.ts';

const KILLS = 20;
const SEED = 15;
/** Updates of 64 env steps, each checkpointed: a kill lands in appends, checkpoint writes and deletions alike. */
const TINY = [...QUICK_PPO, '--set', 'num_steps=64', '--set', 'num_minibatches=2', '--checkpoint-every', '1'];
const STEPS_PER_UPDATE = 64;

let runsDir: string;
const report: Record<string, string | number> = {};

beforeAll(() => {
  runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-faults-'));
});
afterAll(() => {
  console.log(
    `faults: ${Object.entries(report)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')}`,
  );
  fs.rmSync(runsDir, { recursive: true, force: true });
});

const every = (from: number, to: number, by: number) => Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);

/**
 * What must hold of a run after any fault: run.json, both logs and every checkpoint read back whole
 * (hashes verified), metrics steps strictly increase and events' never decrease (one history), and
 * at most `lostRows` metrics rows lie past the newest checkpoint. Returns that checkpoint's step.
 */
function checkRun(runDir: string, lostRows: number): number {
  const run = new RunStore(path.dirname(runDir)).openRun(runDir);
  const metrics = run.readMetrics().map((row) => row.step ?? NaN);
  const events = run.readEvents().map((event) => event.step);
  for (const step of checkpointFolders(runDir)) expect(run.loadCheckpoint(step).step).toBe(step);
  metrics.slice(1).forEach((step, i) => expect(step, `metrics steps ${metrics.join(',')}`).toBeGreaterThan(metrics[i]));
  events.slice(1).forEach((step, i) => expect(step, `events steps ${events.join(',')}`).toBeGreaterThanOrEqual(events[i]));
  const newest = checkpointFolders(runDir).at(-1) ?? 0;
  expect(metrics.filter((step) => step > newest).length).toBeLessThanOrEqual(lostRows);
  return newest;
}

function startedFrom(process: CliProcess): number {
  return Number(/· from checkpoint (\d+)\n/.exec(process.stderr)?.[1] ?? 0);
}

describe('fault suite', () => {
  it(`survives ${KILLS} kill -9 at random moments, each followed by a resume from the newest intact checkpoint`, async () => {
    const uniform = seededUniform(SEED);
    let runId = '';
    let dir = '';
    let newest = 0;
    const counts = { kills: 0, survived: 0, checkpointLitter: 0, tornRows: 0 };
    for (let round = 0; round < KILLS; round++) {
      const trainer = new CliProcess(
        round === 0 ? ['train', ...TINY, '--steps', '10000000', '--seed', '1', '--runs', runsDir] : ['resume', runId, '--runs', runsDir],
      );
      dir = await trainer.runDir();
      runId = path.basename(dir);
      expect(startedFrom(trainer), trainer.stderr).toBe(newest);
      // The first kill waits for a checkpoint to resume from; the others may land as early as the rewind.
      if (round === 0) await trainer.metricsRows(2);
      await pause(uniform() * 600);
      trainer.child.kill('SIGKILL');
      const { signal } = await trainer.exited;
      expect(signal, trainer.stderr).toBe('SIGKILL');
      counts.kills++;
      if (fs.readdirSync(path.join(dir, 'checkpoints')).some((name) => name.startsWith('.tmp-'))) counts.checkpointLitter++;
      if (!fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').endsWith('\n')) counts.tornRows++;
      newest = checkRun(dir, 1);
      counts.survived++;
    }
    Object.assign(report, {
      kills: counts.kills,
      survived: counts.survived,
      'killed mid-checkpoint (litter left)': counts.checkpointLitter,
      'torn rows': counts.tornRows,
    });

    const total = newest + 3 * STEPS_PER_UPDATE;
    const last = await gaitlab(['resume', runId, '--runs', runsDir, '--steps', String(total)]);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stderr).toMatch(new RegExp(`· from checkpoint ${newest}\\n`));
    expect(loggedSteps(dir, 'metrics')).toEqual(every(STEPS_PER_UPDATE, total, STEPS_PER_UPDATE));
    expect(runStatus(dir)).toBe('finished');
    expect(counts.survived).toBe(counts.kills);
  });

  // SIGINT is Ctrl-C; SIGTERM (kill, systemd, docker stop) and SIGHUP (a closed terminal) must do the same.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: finishes the update, checkpoints it, marks the run stopped and exits 0`, async () => {
      const trainer = new CliProcess(['train', ...QUICK_PPO, '--steps', '10000000', '--seed', '2', '--checkpoint-every', '1000', '--runs', runsDir]);
      await trainer.metricsRows(3);
      trainer.child.kill(signal);
      const exit = await trainer.exited;
      report[signal] = exit.code === 0 ? 'stopped cleanly' : `exit ${exit.code ?? exit.signal}`;
      expect(exit, trainer.stderr).toEqual({ code: 0, signal: null });
      const dir = await trainer.runDir();
      expect(runStatus(dir)).toBe('stopped');
      const steps = loggedSteps(dir, 'metrics');
      expect(checkpointFolders(dir)).toEqual([steps.at(-1)]);
      checkRun(dir, 0);
    });
  }

  it('a full disk: the trainer stops with an error, and once there is room again resume loses nothing else', async (context) => {
    const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-full-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount], { stdio: 'pipe' });
    } catch (error) {
      fs.rmdirSync(mount);
      report['full disk'] = 'skipped';
      console.log(`faults: full disk skipped: cannot mount a tmpfs here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`);
      context.skip();
      return;
    }
    try {
      const runs = path.join(mount, 'runs');
      const trainer = new CliProcess(['train', ...TINY, '--steps', '10000000', '--seed', '3', '--runs', runs]);
      await trainer.metricsRows(3);
      const filler = path.join(mount, 'filler');
      fillDisk(filler);
      const exit = await trainer.exited;
      expect(exit.code, trainer.stderr).toBe(1);
      expect(trainer.stderr).toMatch(/ENOSPC/);
      const dir = await trainer.runDir();
      fs.rmSync(filler);
      const newest = checkRun(dir, 1);
      const total = newest + 2 * STEPS_PER_UPDATE;
      const resumed = await gaitlab(['resume', path.basename(dir), '--runs', runs, '--steps', String(total)]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(loggedSteps(dir, 'metrics')).toEqual(every(STEPS_PER_UPDATE, total, STEPS_PER_UPDATE));
      report['full disk'] = 'survived';
    } finally {
      execFileSync('umount', [mount]);
      fs.rmdirSync(mount);
    }
  });

  it('two writers: a resume of a run that trains is refused in one line naming the trainer, which goes on', async () => {
    const trainer = new CliProcess(['train', ...TINY, '--steps', '10000000', '--seed', '4', '--runs', runsDir]);
    await trainer.metricsRows(2);
    const dir = await trainer.runDir();
    const second = await gaitlab(['resume', path.basename(dir), '--runs', runsDir]);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toMatch(
      new RegExp(`^gaitlab: run \\S+ is being written by pid ${trainer.child.pid} on ${os.hostname()} since \\S+; stop that one first[^\\n]*$`),
    );
    trainer.child.kill('SIGINT');
    expect((await trainer.exited).code, trainer.stderr).toBe(0);
    checkRun(dir, 0);
    report['two writers'] = 'one trained';
  });

  it('kill -9 of `gaitlab serve` while a run trains: its trainer checkpoints, marks the run stopped and exits', async () => {
    // Serve mode needs the UI built, as `npm start` and the e2e tests build it.
    if (!fs.existsSync('renderer/dist/index.html')) execFileSync('npm', ['run', 'build:renderer'], { stdio: 'ignore' });
    const server = new CliProcess(['serve', '--port', '0', '--runs', runsDir]);
    let ended = false;
    void server.exited.then(() => (ended = true));
    let url: URL | null = null;
    while (!url) {
      expect(ended, server.stderr).toBe(false);
      const found = /running at (\S+)/.exec(server.stdout)?.[1];
      url = found ? new URL(found) : null;
      await pause(20);
    }
    const socket = new WebSocket(`ws://${url.host}/lab?token=${url.searchParams.get('token')}`, { origin: url.origin });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const reply = new Promise<{ ok: boolean; value: { id: string } }>((resolve) =>
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.kind === 'reply') resolve(frame);
      }),
    );
    const hparams = { num_steps: 64, num_minibatches: 2, update_epochs: 2, num_envs: 1 };
    socket.send(JSON.stringify({ id: 1, method: 'createRun', args: [{ env: 'Pendulum-v1', algo: 'ppo', seed: 5, totalSteps: 10_000_000, hparams }] }));
    const created = await reply;
    expect(created.ok, JSON.stringify(created)).toBe(true);
    const dir = path.join(runsDir, created.value.id);
    while (loggedSteps(dir, 'metrics').length < 3) await pause(20);
    const trainerPid = (JSON.parse(fs.readFileSync(path.join(dir, 'lock'), 'utf8')) as { pid: number }).pid;

    server.child.kill('SIGKILL');
    await server.exited;
    while (isRunning(trainerPid)) await pause(50);
    report['serve killed'] = runStatus(dir);
    expect(runStatus(dir)).toBe('stopped');
    const steps = loggedSteps(dir, 'metrics');
    expect(checkpointFolders(dir).at(-1)).toBe(steps.at(-1));
    checkRun(dir, 0);
  });
});

/** Writes zeros to `file` until the disk is full. */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(64 << 10);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
