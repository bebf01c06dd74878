import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runConfigSchema, type RunConfig } from '../config/run-config.ts';
import { RunStore, runInfoSchema, type BrokenRun } from './run-store.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();
const runsDir = () => path.join(tempDir(), 'runs');
const versions = { gaitlab: '0.1.0', node: 'v20.0.0' };
const config = (overrides: Partial<RunConfig> = {}): RunConfig =>
  runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 3, totalSteps: 4096, hparams: { num_envs: 4 }, ...overrides });

afterEach(() => vi.useRealTimers());

describe('RunStore.createRun', () => {
  it('creates a whole run folder with a valid run.json, leaving nothing else in the runs folder', () => {
    const run = new RunStore(runsDir()).createRun(config(), { name: 'baseline', versions, parent: { runId: 'earlier-run', step: 2048 } });
    expect(run.info.id).toMatch(/^\d{8}-\d{6}-Pendulum-v1-ppo-[0-9a-f]{4}$/);
    expect(run.dir).toBe(path.join(runsDir(), run.info.id));
    expect(fs.readdirSync(runsDir())).toEqual([run.info.id]);
    expect(fs.readdirSync(run.dir).sort()).toEqual(['checkpoints', 'run.json', 'trajectories', 'videos']);
    expect(fs.statSync(run.trajectoriesDir).isDirectory() && fs.statSync(run.videosDir).isDirectory()).toBe(true);
    const onDisk = runInfoSchema.parse(JSON.parse(fs.readFileSync(path.join(run.dir, 'run.json'), 'utf8')));
    expect(onDisk).toEqual(run.info);
    expect(onDisk).toMatchObject({ name: 'baseline', status: 'created', config: config(), versions, parent: { runId: 'earlier-run', step: 2048 } });
  });

  it('names the run by its UTC creation time, env and algo, with safe characters only', () => {
    vi.useFakeTimers({ now: new Date('2025-03-04T05:06:07.890Z'), toFake: ['Date'] });
    const run = new RunStore(runsDir()).createRun(config({ env: 'my/env:v1' }), { versions });
    expect(run.info.id).toMatch(/^20250304-050607-my_env_v1-ppo-[0-9a-f]{4}$/);
    expect(run.info.name).toBe(run.info.id);
    expect(run.info.createdAt).toBe('2025-03-04T05:06:07.890Z');
  });

  it('refuses an invalid config without leaving a folder behind', () => {
    const bad = { ...config(), seed: -1 };
    expect(() => new RunStore(runsDir()).createRun(bad, { versions })).toThrow(/refusing to write an invalid .*run\.json:[\s\S]*config\.seed/);
    expect(fs.readdirSync(runsDir())).toEqual([]);
  });
});

describe('RunStore.openRun', () => {
  it('opens a run by id and by folder path', () => {
    const store = new RunStore(runsDir());
    const created = store.createRun(config(), { versions });
    expect(store.openRun(created.info.id).info).toEqual(created.info);
    expect(new RunStore(path.join(tempDir(), 'elsewhere')).openRun(created.dir).info).toEqual(created.info);
    expect(path.isAbsolute(store.openRun(path.relative(process.cwd(), created.dir)).dir)).toBe(true);
  });

  it('says where it looked for a missing run, and how to list the runs there', () => {
    const store = new RunStore(runsDir());
    expect(() => store.openRun('20250101-000000-Pendulum-v1-ppo-beef')).toThrow(
      `no run '20250101-000000-Pendulum-v1-ppo-beef' in ${runsDir()} (looked for ${path.join(runsDir(), '20250101-000000-Pendulum-v1-ppo-beef')}); \`gaitlab runs --runs ${runsDir()}\` lists the runs there`,
    );
    expect(() => store.openRun(path.join(tempDir(), 'nowhere'))).toThrow(`no run folder at ${path.join(tempDir(), 'nowhere')}`);
  });

  it('reports a corrupt run.json by name and leaves it as it was', () => {
    const store = new RunStore(runsDir());
    const run = store.createRun(config(), { versions });
    const file = path.join(run.dir, 'run.json');
    fs.writeFileSync(file, '{"id": "x", "status": "runn');
    const before = fs.statSync(file);
    expect(() => store.openRun(run.info.id)).toThrow(`${file}: not valid JSON`);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"id": "x", "status": "runn');
    expect(fs.statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  it('reports an invalid run.json by name and the path of the bad field', () => {
    const store = new RunStore(runsDir());
    const run = store.createRun(config(), { versions });
    const file = path.join(run.dir, 'run.json');
    const info = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...info, config: { ...info.config, seed: 'three' } }));
    expect(() => store.openRun(run.info.id)).toThrow(new RegExp(`${file}: unexpected content:[\\s\\S]*at config\\.seed`));
  });

  it('reports a run folder without run.json', () => {
    const store = new RunStore(runsDir());
    fs.mkdirSync(path.join(runsDir(), 'empty-run'), { recursive: true });
    expect(() => store.openRun('empty-run')).toThrow(`cannot read ${path.join(runsDir(), 'empty-run', 'run.json')}: ENOENT (it does not exist)`);
  });
});

describe('RunStore.listRuns', () => {
  it('lists runs newest first, skipping and reporting broken folders', () => {
    const store = new RunStore(runsDir());
    const ids = ['2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z', '2025-01-01T00:00:00.000Z'].map((now) => {
      vi.useFakeTimers({ now: new Date(now), toFake: ['Date'] });
      return store.createRun(config(), { versions }).info.id;
    });
    fs.mkdirSync(path.join(runsDir(), 'no-run-json'));
    fs.mkdirSync(path.join(runsDir(), 'bad-run-json'));
    fs.writeFileSync(path.join(runsDir(), 'bad-run-json', 'run.json'), '[]');
    fs.mkdirSync(path.join(runsDir(), '.tmp-run-abc123')); // a creation in progress, not a broken run
    fs.writeFileSync(path.join(runsDir(), 'README.txt'), 'not a run');

    const broken: BrokenRun[] = [];
    const runs = store.listRuns((b) => broken.push(b));
    expect(runs.map((r) => r.id)).toEqual([ids[1], ids[0], ids[2]]);
    expect(broken.map((b) => path.basename(b.dir)).sort()).toEqual(['bad-run-json', 'no-run-json']);
    expect(broken.find((b) => b.dir.endsWith('bad-run-json'))?.problem).toContain(`${path.join(runsDir(), 'bad-run-json', 'run.json')}: unexpected content`);
  });

  it('warns about broken folders when no reporter is given', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    fs.mkdirSync(path.join(runsDir(), 'no-run-json'), { recursive: true });
    expect(new RunStore(runsDir()).listRuns()).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`skipping ${path.join(runsDir(), 'no-run-json')}`));
    warn.mockRestore();
  });

  it('lists a runs folder that does not exist yet as empty', () => {
    expect(new RunStore(runsDir()).listRuns()).toEqual([]);
  });
});

describe('RunStore.ensureWritable', () => {
  it('creates a missing runs folder and leaves nothing in it', () => {
    new RunStore(runsDir()).ensureWritable();
    expect(fs.readdirSync(runsDir())).toEqual([]);
  });

  // Root ignores permission bits, so unwritable folders are made from a regular file instead.
  it('names the folder and the OS reason when the runs folder is a file', () => {
    fs.writeFileSync(runsDir(), 'a file');
    const store = new RunStore(runsDir());
    const message = `cannot write to the runs folder ${runsDir()}: EEXIST (something that is not a folder is already there)`;
    expect(() => store.ensureWritable()).toThrow(message);
    expect(() => store.createRun(config(), { versions })).toThrow(message);
    expect(fs.readFileSync(runsDir(), 'utf8')).toBe('a file');
  });

  it('names the folder and the OS reason when a folder above it is a file', () => {
    fs.writeFileSync(path.join(tempDir(), 'file'), '');
    const root = path.join(tempDir(), 'file', 'runs');
    expect(() => new RunStore(root).ensureWritable()).toThrow(`cannot write to the runs folder ${root}: ENOTDIR (a part of the path is a file, not a folder)`);
  });

  it.skipIf(process.getuid?.() === 0)('names the folder and the OS reason when permission is denied', () => {
    fs.mkdirSync(runsDir(), { mode: 0o555 });
    expect(() => new RunStore(runsDir()).ensureWritable()).toThrow(`cannot write to the runs folder ${runsDir()}: EACCES (permission denied)`);
  });
});

describe('RunHandle', () => {
  it('round-trips metrics and events, writing non-finite numbers as null', () => {
    const store = new RunStore(runsDir());
    const run = store.createRun(config(), { versions });
    run.appendMetrics({ update: 1, step: 2048, return_mean: -1200.5, approx_kl: Number.NaN });
    run.appendMetrics({ update: 2, step: 4096, return_mean: null, approx_kl: 0.01 });
    run.appendEvent({ type: 'hparams', step: 2048, wallSeconds: 3.5, values: { learning_rate: 1e-4 }, previous: { learning_rate: 3e-4 } });
    run.appendEvent({ type: 'pause', step: 4096, wallSeconds: 7 });
    const reopened = store.openRun(run.info.id);
    expect(reopened.readMetrics()).toEqual([
      { update: 1, step: 2048, return_mean: -1200.5, approx_kl: null },
      { update: 2, step: 4096, return_mean: null, approx_kl: 0.01 },
    ]);
    expect(reopened.readEvents()).toEqual([
      { type: 'hparams', step: 2048, wallSeconds: 3.5, values: { learning_rate: 1e-4 }, previous: { learning_rate: 3e-4 } },
      { type: 'pause', step: 4096, wallSeconds: 7 },
    ]);
  });

  it('tolerates a torn last metrics line from a killed trainer, and keeps appending after it', () => {
    const store = new RunStore(runsDir());
    const run = store.createRun(config(), { versions });
    run.appendMetrics({ step: 1 });
    fs.appendFileSync(path.join(run.dir, 'metrics.jsonl'), '{"step":2,"ret');
    const resumed = store.openRun(run.info.id);
    expect(resumed.readMetrics()).toEqual([{ step: 1 }]);
    resumed.appendMetrics({ step: 2 });
    expect(resumed.readMetrics()).toEqual([{ step: 1 }, { step: 2 }]);
  });

  it('updates run.json atomically, keeping id and createdAt and moving updatedAt', () => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00.000Z'), toFake: ['Date'] });
    const store = new RunStore(runsDir());
    const run = store.createRun(config(), { versions });
    vi.setSystemTime(new Date('2025-01-01T00:10:00.000Z'));
    run.updateInfo({ status: 'failed', error: 'out of memory', summary: { step: 4096, return_mean: -150 } });
    run.updateInfo({ status: 'running', error: undefined });
    const reopened = store.openRun(run.info.id).info;
    expect(reopened).toEqual(run.info);
    expect(reopened).toMatchObject({
      status: 'running',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:10:00.000Z',
      summary: { step: 4096 },
    });
    expect(reopened.error).toBeUndefined();
    expect(fs.readdirSync(run.dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('refuses an invalid update and leaves run.json as it was', () => {
    const run = new RunStore(runsDir()).createRun(config(), { versions });
    const file = path.join(run.dir, 'run.json');
    const before = fs.readFileSync(file, 'utf8');
    expect(() => run.updateInfo({ summary: { return_mean: Number.NaN } })).toThrow(/refusing to write an invalid .*run\.json:[\s\S]*summary\.return_mean/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(run.info.summary).toBeUndefined();
  });

  it('writes, lists and loads checkpoints, keeping the number the store was given besides the milestones', () => {
    const store = new RunStore(runsDir(), { keepCheckpoints: 2 });
    const run = store.createRun(config(), { versions });
    for (const step of [2048, 4096, 6144, 8192, 10240, 12288]) run.writeCheckpoint(step, { state: { step }, arrays: { w: new Float64Array([step, 0.1]) } });
    const reopened = store.openRun(run.info.id);
    // The latest two, and the milestones: the first, and the first at or past 4096 and 8192 steps.
    expect(reopened.listCheckpoints()).toEqual([2048, 4096, 8192, 10240, 12288]);
    const latest = reopened.loadCheckpoint();
    expect(latest.state).toEqual({ step: 12288 });
    expect([...latest.arrays.w]).toEqual([12288, 0.1]);
    expect(reopened.loadCheckpoint(4096).state).toEqual({ step: 4096 });
  });

  it('rejects a keepCheckpoints that is not a positive integer', () => {
    expect(() => new RunStore(runsDir(), { keepCheckpoints: 0 })).toThrow('keepCheckpoints must be a positive integer, got 0');
  });
});
