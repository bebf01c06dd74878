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

describe('numeric options of the learning benchmarks', () => {
  it.each([
    ['main/bench/learn.ts', '--jobs <n>', 'two', 'a positive integer', ['--env', 'Pendulum-v1']],
    ['main/bench/learn.ts', '--seeds <k>', '0', 'a positive integer', ['--env', 'Pendulum-v1']],
    ['main/bench/learn.ts', '--first-seed <s>', '-1', 'a non-negative integer', ['--env', 'Pendulum-v1']],
    ['main/bench/compare.ts', '--steps <n>', '1.5', 'a positive integer', ['--env', 'Pendulum-v1', '--out', 'unused']],
    ['main/bench/compare.ts', '--jobs <n>', '0', 'a positive integer', ['--env', 'Pendulum-v1', '--steps', '10', '--out', 'unused']],
    ['main/bench/peer.ts', '--steps <n>', '3000', 'a multiple of 2048', []],
  ])('%s refuses %s %s before any run', { timeout: 30_000 }, async (script, option, value, expected, args) => {
    const { code, stderr } = await bench(script, [...args, option.split(' ')[0], value]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`option '${option}' argument '${value}' is invalid. expected ${expected}, got "${value}"`);
  });
});
