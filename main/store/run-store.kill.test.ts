/** A run killed at any instant (SIGKILL, mid-write) resumes from a whole checkpoint, with readable logs. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import { RunStore } from './run-store.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();
const WRITER = path.join(import.meta.dirname, 'kill-writer.test-support.ts');

/** Runs the writer until it has written `checkpoints` checkpoints plus a random few milliseconds, then SIGKILLs it. */
function runAndKill(root: string, runId: string, checkpoints: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, root, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let written = 0;
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      const before = written;
      written += chunk.toString().split('\n').length - 1;
      if (before < checkpoints && written >= checkpoints) setTimeout(() => child.kill('SIGKILL'), Math.random() * 30);
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own:\n${stderr}`))));
  });
}

describe('a run killed mid-write', () => {
  it('always leaves whole checkpoints and readable metrics, and resumes where its last checkpoint was', async () => {
    const config = runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 1000, hparams: {} });
    const store = new RunStore(tempDir());
    const { info, dir } = store.createRun(config, { versions: { gaitlab: '0.1.0', node: process.version } });
    let latest = 0;
    for (let round = 0; round < 4; round++) {
      await runAndKill(tempDir(), info.id, 3);
      const run = store.openRun(info.id);
      const steps = run.listCheckpoints();
      // Every <step>/ folder on disk is complete: renames are atomic, so a kill leaves only .tmp-* litter.
      const folders = fs.readdirSync(path.join(dir, 'checkpoints')).filter((name) => !name.startsWith('.tmp-'));
      expect(folders.map(Number).sort((a, b) => a - b)).toEqual(steps);
      expect(steps.at(-1)).toBeGreaterThanOrEqual(latest + 3);
      latest = steps.at(-1) ?? 0;
      const checkpoint = run.loadCheckpoint();
      expect(checkpoint.state).toEqual({ step: latest });
      expect(checkpoint.arrays.weights.every((w) => w === latest)).toBe(true);
      const metricSteps = run.readMetrics().map((row) => row.step);
      expect(metricSteps.length).toBeGreaterThanOrEqual(latest);
    }
  });
});
