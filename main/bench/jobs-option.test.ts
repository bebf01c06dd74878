import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** Runs a bench script as `npm run bench:*` would; resolves with its exit code and stderr. */
async function bench(script: string, args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, ['bin/run-ts.js', script, ...args], { encoding: 'utf8' });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('--jobs of the learning benchmarks', () => {
  it.each([
    ['main/bench/learn.ts', ['--env', 'Pendulum-v1']],
    ['main/bench/compare.ts', ['--env', 'Pendulum-v1', '--steps', '10', '--out', 'unused']],
  ])('%s refuses a count of runs that is not a positive integer, before any run', { timeout: 30_000 }, async (script, args) => {
    for (const jobs of ['0', 'two']) {
      const { code, stderr } = await bench(script, [...args, '--jobs', jobs]);
      expect(code).not.toBe(0);
      expect(stderr).toContain(`option '--jobs <n>' argument '${jobs}' is invalid. expected a positive integer, got "${jobs}"`);
    }
  });
});
