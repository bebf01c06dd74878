import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import { RunLockedError } from './run-lock.ts';
import { RunStore } from './run-store.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();
const config = runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 1000, hparams: {} });

/** A real process that idles until killed; resolves once it has exited. */
function otherProcess(): { pid: number; end: () => Promise<void> } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { pid: child.pid!, end: () => (child.kill('SIGKILL'), exited) };
}

function lockAs(runDir: string, pid: number): void {
  fs.writeFileSync(path.join(runDir, 'lock'), JSON.stringify({ pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' }));
}

describe('the run lock', () => {
  it('lets one handle write the run; another waits for its release', () => {
    const store = new RunStore(tempDir());
    const run = store.createRun(config, { versions: { gaitlab: '0', node: process.version } });
    expect(run.lockForWriting()).toBe(true);
    expect(run.lockForWriting()).toBe(false); // already held by this handle
    const owner = JSON.parse(fs.readFileSync(path.join(run.dir, 'lock'), 'utf8'));
    expect(owner).toEqual({ pid: process.pid, host: os.hostname(), since: expect.stringMatching(/^\d{4}-/) });
    expect(() => store.openRun(run.info.id).lockForWriting()).toThrow(RunLockedError);
    run.unlock();
    expect(fs.existsSync(path.join(run.dir, 'lock'))).toBe(false);
    const again = store.openRun(run.info.id);
    expect(again.lockForWriting()).toBe(true);
    again.unlock();
  });

  it("refuses a live process's run, naming it, and changes nothing; takes it over once that process is gone", async () => {
    const store = new RunStore(tempDir());
    const run = store.createRun(config, { versions: { gaitlab: '0', node: process.version } });
    const other = otherProcess();
    lockAs(run.dir, other.pid);
    const runJson = fs.readFileSync(path.join(run.dir, 'run.json'), 'utf8');
    const expected = new RegExp(
      `^run ${run.info.id} is being written by pid ${other.pid} on ${os.hostname()} since 2026-01-01T00:00:00.000Z; stop that one first`,
    );
    expect(() => run.lockForWriting()).toThrow(expected);
    expect(() => run.updateInfo({ status: 'failed', error: 'refused' })).toThrow(expected);
    expect(fs.readFileSync(path.join(run.dir, 'run.json'), 'utf8')).toBe(runJson);

    await other.end();
    expect(run.lockForWriting()).toBe(true); // the stale lock of a dead pid is recovered
    run.updateInfo({ status: 'running' });
    run.unlock();
    expect(fs.readdirSync(run.dir).filter((name) => name.includes('lock'))).toEqual([]);
  });

  it('rewinds a run to a checkpoint only while it holds the lock', () => {
    const store = new RunStore(tempDir());
    const run = store.createRun(config, { versions: { gaitlab: '0', node: process.version } });
    for (const step of [1, 2, 3]) {
      run.appendMetrics({ step });
      run.appendEvent({ type: 'note', step, wallSeconds: step });
      if (step < 3) run.writeCheckpoint(step, { state: { step }, arrays: {} });
    }
    expect(() => run.rewindTo(1)).toThrow(/needs the run's lock/);
    run.lockForWriting();
    expect(run.rewindTo(1)).toEqual({ checkpoints: [2], metricsRows: 2, events: 2 });
    expect(run.readMetrics()).toEqual([{ step: 1 }]);
    expect(run.readEvents().map((e) => e.step)).toEqual([1]);
    expect(run.listCheckpoints()).toEqual([1]);
    run.unlock();
  });
});
