/** The CLI as a user runs it: a real process, real files, and clear errors for bad input. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeArgs } from '../../sim/core/engine-entry.ts';
import { CLI, gaitlab, snapshot } from './cli-process.test-support.ts';

let runsDir: string;
let trainedRun: string;

beforeAll(async () => {
  runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-cli-'));
  const result = await gaitlab([
    'train',
    '--env',
    'Pendulum-v1',
    '--steps',
    '1024',
    '--seed',
    '3',
    '--envs',
    '1',
    '--runs',
    runsDir,
    '--json',
    '--set',
    'num_steps=256',
    '--set',
    'num_minibatches=4',
    '--set',
    'update_epochs=2',
    '--checkpoint-every',
    '2',
  ]);
  expect(result.stderr).not.toMatch(/gaitlab: /);
  expect(result.code).toBe(0);
  trainedRun = JSON.parse(result.stdout.trim().split('\n').pop()!).run;
});

afterAll(() => fs.rmSync(runsDir, { recursive: true, force: true }));

describe('gaitlab train', () => {
  it('writes a run folder with config, metrics and checkpoints, and a JSON summary', async () => {
    const dir = path.join(runsDir, trainedRun);
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    expect(info.status).toBe('finished');
    expect(info.config.env).toBe('Pendulum-v1');
    expect(info.versions.backend).toBe('fused');
    const rows = fs
      .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(4);
    for (const key of [
      'step',
      'wall_s',
      'sps',
      'episodes',
      'return_mean',
      'return_std',
      'policy_loss',
      'value_loss',
      'entropy',
      'approx_kl',
      'clip_fraction',
      'explained_variance',
      'learning_rate',
    ]) {
      expect(rows[3]).toHaveProperty(key);
    }
    expect(rows[3].step).toBe(1024);
    expect(fs.readdirSync(path.join(dir, 'checkpoints')).sort()).toEqual(['1024', '512']);
  });

  it('resumes and evaluates', async () => {
    const resumed = await gaitlab(['resume', trainedRun, '--runs', runsDir, '--steps', '1536', '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').pop()!).step).toBe(1536);
    const evaluated = await gaitlab(['eval', trainedRun, '--runs', runsDir, '--episodes', '2', '--json']);
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.stdout.trim().split('\n').pop()!);
    expect(result.returns).toHaveLength(2);
    expect(result.checkpoint).toBe(1536);
  });

  it('says in one line when the budget is not whole updates, and trains the steps it says', async () => {
    const args = [
      'train',
      '--env',
      'Pendulum-v1',
      '--seed',
      '5',
      '--envs',
      '1',
      '--runs',
      runsDir,
      '--json',
      '--set',
      'num_steps=256',
      '--set',
      'num_minibatches=4',
      '--set',
      'update_epochs=1',
    ];
    const uneven = await gaitlab([...args, '--steps', '700']);
    expect(uneven.code).toBe(0);
    expect(uneven.stderr.split('\n').filter((line) => line.startsWith('budget: '))).toEqual([
      'budget: trains 512 steps = 2 updates of 256 (the budget of 700 rounded down to whole updates)',
    ]);
    expect(JSON.parse(uneven.stdout.trim().split('\n').pop()!).step).toBe(512);
    const whole = await gaitlab([...args, '--steps', '512']);
    expect(whole.code).toBe(0);
    expect(whole.stderr).not.toMatch(/budget: /);
  });

  // Ctrl-C, kill (SIGTERM) and a closed terminal (SIGHUP) all stop a run the same way.
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s finishes the update, checkpoints it and exits cleanly; resume goes on from there', async (signal) => {
    const child = spawn(
      process.execPath,
      nodeArgs(CLI, [
        'train',
        '--env',
        'Pendulum-v1',
        '--steps',
        '10000000',
        '--seed',
        '4',
        '--envs',
        '1',
        '--runs',
        runsDir,
        '--json',
        '--set',
        'num_steps=256',
        '--set',
        'num_minibatches=4',
        '--set',
        'update_epochs=2',
        '--checkpoint-every',
        '1000',
      ]),
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the run has trained a few updates.
    let dir = '';
    while (!dir || !fs.existsSync(path.join(dir, 'metrics.jsonl')) || fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').split('\n').length < 4) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const id = /run (\S+) \(/.exec(stderr)?.[1];
      if (id) dir = path.join(runsDir, id);
    }
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/stopping after this update/);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(summary.status).toBe('stopped');
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    expect(info).toMatchObject({ status: 'stopped', stopReason: `received ${signal}` });
    const rows = fs
      .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const stoppedAt = rows[rows.length - 1].step;
    expect(stoppedAt).toBe(summary.step);
    // the stop wrote a checkpoint of the last whole update (none was due by --checkpoint-every)
    expect(fs.readdirSync(path.join(dir, 'checkpoints'))).toEqual([String(stoppedAt)]);

    const resumed = await gaitlab(['resume', path.basename(dir), '--runs', runsDir, '--steps', String(stoppedAt + 512), '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').pop()!).step).toBe(stoppedAt + 512);
  });

  it('lists envs and algorithms', async () => {
    const envs = await gaitlab(['envs']);
    expect(envs.stdout).toMatch(/Pendulum-v1/);
    expect(envs.stdout).toMatch(/CartPole-v1/);
    const algos = await gaitlab(['algos']);
    expect(algos.stdout).toMatch(/ppo/);
    expect(algos.stdout).toMatch(/clip_coef/);
  });
});

describe('bad input gets one clear message, a non-zero exit, and changes nothing', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown env', ['train', '--env', 'Pendulum-v9'], /unknown environment "Pendulum-v9".*Pendulum-v1/],
    ['unknown algo', ['train', '--env', 'Pendulum-v1', '--algo', 'ppq'], /unknown algorithm "ppq".*ppo/],
    ['unknown hyperparameter', ['train', '--env', 'Pendulum-v1', '--set', 'learnin_rate=0.1'], /unknown hyperparameter\(s\): learnin_rate/],
    ['ill-typed hyperparameter', ['train', '--env', 'Pendulum-v1', '--set', 'update_epochs=ten'], /update_epochs: .*expected number/i],
    ['out-of-range hyperparameter', ['train', '--env', 'Pendulum-v1', '--set', 'gamma=1.5'], /gamma: .*<=1/],
    ['malformed --set', ['train', '--env', 'Pendulum-v1', '--set', 'gamma'], /--set expects key=value/],
    ['--set __proto__', ['train', '--env', 'Pendulum-v1', '--set', '__proto__=5'], /--set __proto__=5: "__proto__" is not a hyperparameter name/],
    ['--set constructor', ['train', '--env', 'Pendulum-v1', '--set', 'constructor=1'], /--set constructor=1: "constructor" is not a hyperparameter name/],
    ['missing preset', ['train', '--env', 'Pendulum-v1', '--preset', '/nonexistent/p.json'], /cannot read preset \/nonexistent\/p.json: ENOENT/],
    ['missing run', ['resume', 'no-such-run'], /no-such-run/],
    ['eval of a missing run', ['eval', 'no-such-run'], /no-such-run/],
    ['negative steps', ['train', '--env', 'Pendulum-v1', '--steps', '-5'], /positive integer/],
    ['more workers than envs', ['train', '--env', 'Pendulum-v1', '--envs', '2', '--workers', '3'], /workers: 3 workers for 2 envs.*at most num_envs \(2\)/],
    ['zero --video-every', ['train', '--env', 'Pendulum-v1', '--video-every', '0'], /--video-every.*expected a positive integer/],
    ['unknown --video-schedule', ['train', '--env', 'Pendulum-v1', '--video-schedule', 'weekly'], /'weekly' is invalid\. Allowed choices are capped-cubic/],
    [
      'two video schedules',
      ['train', '--env', 'Pendulum-v1', '--video-every', '2', '--video-schedule', 'capped-cubic'],
      /'--video-every <updates>' cannot be used with option '--video-schedule <kind>'/,
    ],
    ['odd --video-size', ['train', '--env', 'Pendulum-v1', '--video-every', '2', '--video-size', '333x200'], /--video-size \(width\): must be even/],
    [
      '--video-size without a schedule',
      ['train', '--env', 'Pendulum-v1', '--video-size', '640x360'],
      /--video-size is the size of scheduled videos: add --video-every N or --video-schedule capped-cubic/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const before = snapshot(runsDir);
      const result = await gaitlab([...args, '--runs', runsDir]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // one message, no stack trace
      expect(snapshot(runsDir)).toEqual(before);
    });
  }

  it('an invalid preset file names the file and the key', async () => {
    const preset = path.join(os.tmpdir(), `gaitlab-bad-preset-${process.pid}.json`);
    fs.writeFileSync(preset, JSON.stringify({ hparams: { clip_coef: -1 } }));
    const result = await gaitlab(['train', '--env', 'Pendulum-v1', '--preset', preset, '--runs', runsDir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/clip_coef/);
    fs.rmSync(preset);
  });

  it('a corrupt run.json is reported and left untouched', async () => {
    const dir = path.join(runsDir, 'corrupt-run');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'run.json'), '{"id": "corrupt-run", ');
    const before = snapshot(runsDir);
    const result = await gaitlab(['resume', 'corrupt-run', '--runs', runsDir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/run\.json/);
    expect(snapshot(runsDir)).toEqual(before);
    fs.rmSync(dir, { recursive: true });
  });

  it('an unwritable runs folder is reported', async () => {
    const file = path.join(runsDir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const result = await gaitlab(['train', '--env', 'Pendulum-v1', '--runs', path.join(file, 'runs')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/not-a-folder/);
    fs.rmSync(file);
  });
});
