import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/** Runs bench:fidelity as `npm run bench:fidelity` would; resolves with its exit code and stderr. */
async function fidelity(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['bin/run-ts.js', 'sim/robots/bench-fidelity.ts', ...args], { encoding: 'utf8' });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('bench:fidelity refuses bad input with one line, before any measurement', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-fidelity-'));
  // A hopper's state (nq 6, nv 6, nu 3), given for the inverted pendulum (nq 2, nv 2, nu 1).
  const foreign = path.join(dir, 'hopper.jsonl');
  fs.writeFileSync(foreign, JSON.stringify({ reset: true, qpos: [0, 1.25, 0, 0, 0, 0], qvel: [0, 0, 0, 0, 0, 0], ctrl: [0, 0, 0] }) + '\n');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['--env', 'Hoppr'], '--env must name a robot (Hopper-v0, '],
    [['--env', 'Hopper-v0', '--setting', '2x8'], '--setting must be frameSkip x substeps x pgs'],
    [['--env', 'InvertedPendulum-v0', '--trajectory', foreign], `${foreign} line 1 is not a state of inverted_pendulum (nq 2, nv 2, nu 1)`],
    [['--env', 'InvertedPendulum-v0', '--trajectory', path.join(dir, 'missing.jsonl')], 'cannot read --trajectory'],
  ])('%j', { timeout: 30_000 }, async (args, expected) => {
    const { code, stderr } = await fidelity(args);
    expect(code).toBe(2);
    expect(stderr).toContain(`bench:fidelity: ${expected}`);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
