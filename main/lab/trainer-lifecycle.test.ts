/**
 * A trainer process's life with real processes and real signals: stopped by a signal, or orphaned
 * by the app that started it (killed with SIGKILL), it finishes the update, checkpoints it, marks
 * its run stopped with the reason and exits; nothing of the run is lost.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRunConfig } from '../config/build-run-config.ts';
import { RunStore } from '../store/run-store.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { nodeArgs, engineEntry } from '../../sim/core/engine-entry.ts';
import { TRAINER_ENTRY } from './trainer-launcher.ts';

const tempDir = useTempDir();

/** A long run of small updates: it trains until told to stop. */
function longRun(): { store: RunStore; dir: string } {
  const store = new RunStore(path.join(tempDir(), 'runs'));
  const config = buildRunConfig({
    env: 'Pendulum-v1',
    algo: 'ppo',
    seed: 6,
    totalSteps: 10_000_000,
    checkpointEveryUpdates: 1000,
    hparams: { num_envs: 1, num_steps: 256, num_minibatches: 4, update_epochs: 2 },
  });
  return { store, dir: store.createRun(config, { versions: { gaitlab: 'test', node: process.version } }).dir };
}

const metricsRows = (dir: string) => {
  const file = path.join(dir, 'metrics.jsonl');
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
};

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 100));
}

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

/** Whether a process that is not our child is gone (a zombie waiting for its new parent to reap it counts as gone). */
function gone(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z');
  } catch {
    return true;
  }
}

/** The run ended as it should: stopped with `reason`, its last whole update checkpointed. */
function expectStoppedWithCheckpoint(store: RunStore, dir: string, reason: string): void {
  const run = store.openRun(dir);
  expect(run.info).toMatchObject({ status: 'stopped', stopReason: reason });
  const lastStep = metricsRows(dir).at(-1).step;
  expect(run.listCheckpoints()).toEqual([lastStep]);
  expect(run.info.summary?.step).toBe(lastStep);
}

describe('a trainer process', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)('stops on %s like on Stop: the update finished and checkpointed, exit 0', async (signal) => {
    const { store, dir } = longRun();
    const trainer = fork(TRAINER_ENTRY.file, [dir], { execArgv: TRAINER_ENTRY.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const statuses: unknown[] = [];
    trainer.on('message', (message: { type: string }) => message.type === 'status' && statuses.push(message));
    const exited = exitOf(trainer);
    await until(() => metricsRows(dir).length >= 2);
    trainer.kill(signal);
    expect(await exited).toEqual({ code: 0, signal: null });
    expectStoppedWithCheckpoint(store, dir, `received ${signal}`);
    expect(statuses.at(-1)).toEqual({ type: 'status', status: 'stopped', step: metricsRows(dir).at(-1).step, reason: `received ${signal}` });
  });

  it('outlives the app that started it only to stop its run with a checkpoint (the app killed with SIGKILL)', async () => {
    const { store, dir } = longRun();
    const app = spawn(process.execPath, nodeArgs(engineEntry('main/lab/orphaning-parent.test-support.ts'), [dir]), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    app.stdout.on('data', (chunk) => (out += chunk));
    const appExited = exitOf(app);
    await until(() => out.includes('"type":"metrics"'));
    const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(app.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const trainerPid = Number(
      children
        .find((line) => line.includes(TRAINER_ENTRY.file))
        ?.trim()
        .split(' ')[0],
    );
    expect(trainerPid).toBeGreaterThan(0);
    app.kill('SIGKILL');
    expect(await appExited).toEqual({ code: null, signal: 'SIGKILL' });
    await until(() => gone(trainerPid));
    expectStoppedWithCheckpoint(store, dir, 'the app that started it exited');
  });
});
