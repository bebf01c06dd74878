/**
 * `gaitlab resume` against what goes wrong on disk and between processes (real processes, real
 * files): a damaged newest checkpoint, a chosen checkpoint, a refused resume, rows past the last
 * checkpoint after a kill -9, and two resumes of one run at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointFolders, CliProcess, gaitlab, loggedSteps, QUICK_PPO, runStatus, snapshot } from './cli-process.test-support.ts';

let runsDir: string;

beforeAll(() => {
  runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-resume-'));
});
afterAll(() => fs.rmSync(runsDir, { recursive: true, force: true }));

/** A finished run of 8 updates of 256 steps, checkpointed every 2: checkpoints 512, 1024, 1536, 2048. */
async function finishedRun(seed: number): Promise<string> {
  const result = await gaitlab(['train', ...QUICK_PPO, '--steps', '2048', '--seed', String(seed), '--checkpoint-every', '2', '--runs', runsDir, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return path.join(runsDir, JSON.parse(result.stdout.trim().split('\n').pop()!).run);
}

function flipByte(runDir: string, step: number): void {
  const file = path.join(runDir, 'checkpoints', String(step), 'arrays.bin');
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] ^= 0xff;
  fs.writeFileSync(file, bytes);
}

const every = (from: number, to: number, by: number) => Array.from({ length: (to - from) / by + 1 }, (_, i) => from + i * by);

describe('gaitlab resume', () => {
  it('passes over a damaged newest checkpoint with a warning and resumes from the newest intact one', async () => {
    const dir = await finishedRun(11);
    flipByte(dir, 2048);
    const resumed = await gaitlab(['resume', path.basename(dir), '--runs', runsDir, '--steps', '2560', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      /gaitlab: using checkpoint 1536 of run \S+, the newest intact one \(checkpoint 2048: damaged checkpoint: the SHA-256 of \S+arrays\.bin does not match/,
    );
    expect(resumed.stderr).toMatch(/· from checkpoint 1536\n/);
    // The updates after 1536 were trained again, once: one history.
    expect(loggedSteps(dir, 'metrics')).toEqual(every(256, 2560, 256));
    expect(checkpointFolders(dir)).toEqual([512, 1024, 1536, 2048, 2560]);
    expect(runStatus(dir)).toBe('finished');
  });

  it('--checkpoint STEP resumes from that checkpoint and drops the later history', async () => {
    const dir = await finishedRun(12);
    const resumed = await gaitlab(['resume', path.basename(dir), '--runs', runsDir, '--checkpoint', '1024', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/· from checkpoint 1024\n/);
    expect(loggedSteps(dir, 'metrics')).toEqual(every(256, 2048, 256));
    expect(resumed.stdout.trim().split('\n').pop() ?? '').toMatch(/"step":2048/);
  });

  it('a refused resume changes nothing in the run, its status least of all', async () => {
    const dir = await finishedRun(13);
    const refusals: [string[], RegExp][] = [
      [['--checkpoint', '999'], /has no checkpoint at step 999; it has: 512, 1024, 1536, 2048/],
      [[], /has no intact checkpoint \(checkpoint 2048: damaged checkpoint.*checkpoint 512: damaged checkpoint/],
    ];
    for (const [args, message] of refusals) {
      if (args.length === 0) for (const step of checkpointFolders(dir)) flipByte(dir, step);
      const before = snapshot(dir);
      const result = await gaitlab(['resume', path.basename(dir), '--runs', runsDir, ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(snapshot(dir)).toEqual(before);
      expect(runStatus(dir)).toBe('finished');
    }
  });

  it('after a kill -9, drops the metrics rows past the last checkpoint: one history, each step once', async () => {
    // Checkpoints every 3 updates of 2048 steps; killed when rows lie past the last checkpoint.
    const train = new CliProcess([
      'train',
      ...QUICK_PPO,
      '--set',
      'num_steps=2048',
      '--steps',
      '10000000',
      '--seed',
      '14',
      '--checkpoint-every',
      '3',
      '--runs',
      runsDir,
    ]);
    const dir = await train.runDir();
    for (let rows = 4; ; rows++) {
      await train.metricsRows(rows);
      if (rows % 3 !== 0) break;
    }
    train.child.kill('SIGKILL');
    await train.exited;
    const steps = loggedSteps(dir, 'metrics');
    const lastCheckpoint = checkpointFolders(dir).at(-1)!;
    expect(steps.at(-1)).toBeGreaterThan(lastCheckpoint); // what this test is about
    // The dead trainer's lock is left behind; resume takes it over.
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'lock'), 'utf8')).pid).toBe(train.child.pid);

    const total = steps.at(-1)! + 2 * 2048;
    const resumed = await gaitlab(['resume', path.basename(dir), '--runs', runsDir, '--steps', String(total)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(loggedSteps(dir, 'metrics')).toEqual(every(2048, total, 2048));
    expect(resumed.stderr).toMatch(new RegExp(`· from checkpoint ${lastCheckpoint}\\n`));
    expect(fs.existsSync(path.join(dir, 'lock'))).toBe(false);
  });

  it('two resumes of one run at once: one trains, the other names it in one line and changes nothing', async () => {
    const dir = await finishedRun(15);
    const args = ['resume', path.basename(dir), '--runs', runsDir, '--steps', String(2048 + 200 * 256), '--json'];
    const [a, b] = [new CliProcess(args), new CliProcess(args)];
    const first = await Promise.race([a.exited.then(() => a), b.exited.then(() => b)]);
    const winner = first === a ? b : a;
    expect((await first.exited).code, first.stderr).toBe(1);
    const line = first.stderr.trim();
    expect(line).toMatch(
      new RegExp(
        `^gaitlab: run ${path.basename(dir)} is being written by pid ${winner.child.pid} on ${os.hostname()} since \\d{4}-\\d\\d-\\d\\dT\\S+; stop that one first`,
      ),
    );
    expect(line.split('\n')).toHaveLength(1);

    await winner.metricsRows(9); // training, its Ctrl-C handler in place
    winner.child.kill('SIGINT');
    expect((await winner.exited).code, winner.stderr).toBe(0);
    const steps = loggedSteps(dir, 'metrics');
    expect(steps).toEqual(every(256, steps.at(-1)!, 256));
    expect(runStatus(dir)).toBe('stopped');
  });
});
