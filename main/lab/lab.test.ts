import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import type { LabEvent, NewRunRequest } from './api.ts';
import { Lab, type LabOptions } from './lab.ts';
import type { TrajectoryMessage } from '../store/trajectory-file.ts';
import { fakeLauncher } from './fake-trainer.test-support.ts';

const tempDir = useTempDir();
const request = (overrides: Partial<NewRunRequest> = {}): NewRunRequest => ({
  env: 'Pendulum-v1',
  algo: 'ppo',
  seed: 1,
  totalSteps: 4096,
  hparams: {},
  ...overrides,
});

function setup(options: Pick<LabOptions, 'trajectoryIntervalMs' | 'stopTimeoutMs' | 'videoHost'> = {}) {
  const fake = fakeLauncher();
  const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: fake.launcher, ...options });
  const events: LabEvent[] = [];
  lab.subscribe((event) => events.push(event));
  return { lab, events, started: fake.started };
}

const trajectory = (update: number, deterministic = false): TrajectoryMessage => ({
  envId: 'Pendulum-v1',
  dtSeconds: 0.05,
  numBodies: 2,
  frames: new Array(2 * 2 * 7).fill(0),
  rewards: [-1],
  update,
  step: update * 2048,
  episodeReturn: -1,
  deterministic,
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('Lab: new runs', () => {
  it('creates the run in the runs folder and starts its trainer on that folder', () => {
    const { lab, events, started } = setup();
    const run = lab.createRun(request({ name: 'first' }));
    expect(run).toMatchObject({ name: 'first', status: 'created', live: true, config: { env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 4096 } });
    expect(started.map((t) => t.runDir)).toEqual([path.join(lab.store.root, run.id)]);
    expect(events).toEqual([{ type: 'run', run }]);
    expect(lab.listRuns()).toEqual([run]);
    // The CLI's builder filled every hyperparameter from the schema and preset.
    expect(run.config.hparams.learning_rate).toEqual(expect.any(Number));
  });

  it('reports every bad field with its own message, and starts nothing', () => {
    const { lab, started } = setup();
    const bad = request({ seed: 'abc', totalSteps: -5, hparams: { learning_rate: -1, gamma: 'x', bogus: 1 } });
    const result = lab.validateRun(bad);
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.issues.map((i) => i.field);
    expect(fields.sort()).toEqual(['hparams.bogus', 'hparams.gamma', 'hparams.learning_rate', 'seed', 'totalSteps']);
    expect(() => lab.createRun(bad)).toThrow(/hparams\.learning_rate/);
    expect(started).toEqual([]);
    expect(lab.listRuns()).toEqual([]);
  });

  it('names an unknown env or algorithm', () => {
    const { lab } = setup();
    const result = lab.validateRun(request({ env: 'Nope-v0', algo: 'nope' }));
    expect(result).toEqual({
      ok: false,
      issues: [
        { field: 'env', message: expect.stringContaining('Nope-v0') },
        { field: 'algo', message: expect.stringContaining('nope') },
      ],
    });
  });

  it('accepts the defaults it offers', () => {
    const { lab } = setup();
    const defaults = lab.runDefaults('Pendulum-v1', 'ppo');
    const hparams = defaults.preset?.hparams ?? defaults.hparams;
    expect(lab.validateRun(request({ hparams, totalSteps: defaults.totalSteps }))).toMatchObject({ ok: true });
  });

  it('says what a budget that is not whole updates trains', () => {
    const { lab } = setup();
    const hparams = { ...lab.runDefaults('Pendulum-v1', 'ppo').hparams, num_steps: 2048, num_envs: 1 };
    expect(lab.validateRun(request({ hparams, totalSteps: 20_000 }))).toEqual({
      ok: true,
      budget: { requestedSteps: 20_000, stepsPerUpdate: 2048, updates: 9, steps: 18_432 },
      budgetNote: 'trains 18,432 steps = 9 updates of 2,048 (the budget of 20,000 rounded down to whole updates)',
    });
  });

  it('describes every env and algorithm with its form fields', () => {
    const { lab } = setup();
    const catalog = lab.catalog();
    expect(catalog.envs.map((e) => e.id)).toContain('Pendulum-v1');
    const ppo = catalog.algos.find((a) => a.id === 'ppo');
    expect(ppo?.fields.find((f) => f.name === 'learning_rate')).toMatchObject({ kind: 'number', live: true, exclusiveMin: 0 });
  });
});

describe('Lab: trainer messages and commands', () => {
  it('passes valid trainer messages on and drops invalid ones', () => {
    const { lab, events, started } = setup();
    const run = lab.createRun(request());
    events.length = 0;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    started[0].emit({ type: 'metrics', row: { update: 1, step: 2048, return_mean: -1200 } });
    started[0].emit({ type: 'metrics', row: { update: 'one' } });
    started[0].emit({ type: 'shout' });
    expect(events).toEqual([{ type: 'trainer', runId: run.id, message: { type: 'metrics', row: { update: 1, step: 2048, return_mean: -1200 } } }]);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('follows status changes with the run as written on disk', () => {
    const { lab, events, started } = setup();
    const run = lab.createRun(request());
    events.length = 0;
    lab.store.openRun(run.id).updateInfo({ status: 'running' }); // what the trainer does before it reports
    started[0].emit({ type: 'status', status: 'running', step: 0 });
    expect(events.map((e) => e.type)).toEqual(['trainer', 'run']);
    expect(events[1]).toMatchObject({ type: 'run', run: { id: run.id, status: 'running', live: true } });
  });

  it('forwards a valid live change and refuses fixed or out-of-range ones before the trainer sees them', () => {
    const { lab, started } = setup();
    const run = lab.createRun(request());
    lab.command(run.id, { type: 'set-hparams', values: { learning_rate: 1e-4, ent_coef: 0.01 } });
    expect(() => lab.command(run.id, { type: 'set-hparams', values: { num_envs: 8 } })).toThrow(/num_envs cannot change/);
    expect(() => lab.command(run.id, { type: 'set-hparams', values: { learning_rate: -3 } })).toThrow(/learning_rate/);
    lab.command(run.id, { type: 'pause' });
    expect(started[0].commands).toEqual([{ type: 'set-hparams', values: { learning_rate: 1e-4, ent_coef: 0.01 } }, { type: 'pause' }]);
  });

  it('refuses commands for a run that is not training here', () => {
    const { lab, started } = setup();
    const run = lab.createRun(request());
    started[0].emit({ type: 'status', status: 'finished', step: 4096 });
    started[0].exit();
    expect(() => lab.command(run.id, { type: 'pause' })).toThrow(/not training in this lab/);
  });

  it('overlays recorded live changes on the config in getRun', () => {
    const { lab } = setup();
    const run = lab.createRun(request());
    const handle = lab.store.openRun(run.id);
    handle.appendEvent({ type: 'hparams', step: 2048, wallSeconds: 3, values: { learning_rate: 1e-4 }, previous: { learning_rate: 3e-4 } });
    handle.appendMetrics({ update: 1, step: 2048 });
    const detail = lab.getRun(run.id);
    expect(detail.hparams.learning_rate).toBe(1e-4);
    expect(detail.metrics).toEqual([{ update: 1, step: 2048 }]);
    expect(detail.liveHparams).toContain('learning_rate');
    expect(detail.run.live).toBe(true);
  });
});

describe('Lab: a trainer that dies', () => {
  it('marks only that run failed, with the reason from stderr', () => {
    const { lab, events, started } = setup();
    const crashed = lab.createRun(request());
    const healthy = lab.createRun(request({ seed: 2 }));
    events.length = 0;
    started[0].exit({ code: 1, stderrTail: 'warming up\nRangeError: Invalid array length\n    at rollout.ts:10\n' });
    const info = lab.store.openRun(crashed.id).info;
    expect(info.status).toBe('failed');
    expect(info.error).toMatch(/exited with code 1: warming up\nRangeError: Invalid array length\n {4}at rollout\.ts:10/);
    expect(events).toEqual([
      { type: 'trainer', runId: crashed.id, message: { type: 'status', status: 'failed', step: 0, error: info.error } },
      { type: 'run', run: expect.objectContaining({ id: crashed.id, status: 'failed', live: false }) },
    ]);
    expect(lab.listRuns().find((r) => r.id === healthy.id)).toMatchObject({ live: true, status: 'created' });
    lab.command(healthy.id, { type: 'pause' });
    expect(started[1].commands).toEqual([{ type: 'pause' }]);
  });

  it('leaves a run the trainer itself ended as it is', () => {
    const { lab, started } = setup();
    const run = lab.createRun(request());
    lab.store.openRun(run.id).updateInfo({ status: 'failed', error: 'NaN in the policy loss' });
    started[0].emit({ type: 'status', status: 'failed', step: 2048, error: 'NaN in the policy loss' });
    started[0].exit({ code: 1, signal: null });
    expect(lab.store.openRun(run.id).info.error).toBe('NaN in the policy loss');
  });

  it.each(['finished', 'stopped'] as const)('keeps a run the trainer wrote %s even when its last message was lost, and tells the UI so', (ended) => {
    const { lab, events, started } = setup();
    const run = lab.createRun(request());
    const onDisk = lab.store.openRun(run.id);
    onDisk.appendMetrics({ update: 1, step: 2048 });
    onDisk.updateInfo({ status: ended, ...(ended === 'stopped' && { stopReason: 'received SIGTERM' }) });
    events.length = 0;
    started[0].exit({ code: 0 });
    expect(lab.store.openRun(run.id).info).toMatchObject({ status: ended });
    expect(lab.store.openRun(run.id).info.error).toBeUndefined();
    expect(events).toEqual([
      { type: 'trainer', runId: run.id, message: { type: 'status', status: ended, step: 2048, ...(ended === 'stopped' && { reason: 'received SIGTERM' }) } },
      { type: 'run', run: expect.objectContaining({ id: run.id, status: ended, live: false }) },
    ]);
  });

  it('fails a run the trainer left running (or paused) at the exact step it reached', () => {
    const { lab, events, started } = setup();
    const run = lab.createRun(request());
    const onDisk = lab.store.openRun(run.id);
    onDisk.appendMetrics({ update: 3, step: 6144 });
    onDisk.updateInfo({ status: 'paused', summary: { step: 2048 } }); // a summary of an earlier session
    started[0].exit({ code: 0 });
    expect(lab.store.openRun(run.id).info).toMatchObject({ status: 'failed', error: 'the trainer exited with code 0' });
    expect(events).toContainEqual({
      type: 'trainer',
      runId: run.id,
      message: { type: 'status', status: 'failed', step: 6144, error: 'the trainer exited with code 0' },
    });
  });

  it('names the signal of a killed trainer', () => {
    const { lab, started } = setup();
    const run = lab.createRun(request());
    started[0].exit({ code: null, signal: 'SIGKILL' });
    expect(lab.store.openRun(run.id).info.error).toBe('the trainer was killed (SIGKILL)');
  });
});

describe('Lab: episodes for the viewer', () => {
  it('passes on at most one training episode per interval, the newest, and evaluations at once', () => {
    vi.useFakeTimers();
    const { lab, events, started } = setup({ trajectoryIntervalMs: 1000 });
    const run = lab.createRun(request());
    events.length = 0;
    const shown = () => events.map((e) => (e.type === 'trainer' && e.message.type === 'trajectory' ? e.message.trajectory.update : null));
    started[0].emit({ type: 'trajectory', trajectory: trajectory(1) });
    started[0].emit({ type: 'trajectory', trajectory: trajectory(2) });
    started[0].emit({ type: 'trajectory', trajectory: trajectory(3) });
    started[0].emit({ type: 'trajectory', trajectory: trajectory(3, true) });
    expect(shown()).toEqual([1, 3]);
    vi.advanceTimersByTime(1000);
    expect(shown()).toEqual([1, 3, 3]);
    expect(lab.getRun(run.id).trajectory).toEqual(trajectory(3, true));
  });
});

describe('Lab: fork', () => {
  function parentWithCheckpoint(lab: Lab) {
    const parent = lab.createRun(request({ name: 'parent' }));
    const handle = lab.store.openRun(parent.id);
    handle.appendMetrics({ update: 1, step: 2048, wall_s: 2, return_mean: -900 });
    handle.appendMetrics({ update: 2, step: 4096, wall_s: 4, return_mean: -700 });
    const hparams = { ...parent.config.hparams, learning_rate: 2e-4 };
    handle.writeCheckpoint(2048, { state: { hparams, counters: { update: 1, step: 2048 } }, arrays: { w: new Float32Array([1, 2, 3]) } });
    return parent;
  }

  it('starts a linked run from the checkpoint with the edited values and the history up to it', () => {
    const { lab, started } = setup();
    const parent = parentWithCheckpoint(lab);
    const child = lab.forkRun(parent.id, { step: 2048, hparams: { ent_coef: 0.02 }, totalSteps: 8192 });
    expect(child).toMatchObject({ parent: { runId: parent.id, step: 2048 }, live: true, name: 'parent fork@2048', config: { totalSteps: 8192 } });
    expect(child.config.hparams).toMatchObject({ ent_coef: 0.02, learning_rate: 2e-4 });
    expect(started.at(-1)?.runDir).toBe(path.join(lab.store.root, child.id));
    const handle = lab.store.openRun(child.id);
    const checkpoint = handle.loadCheckpoint(2048);
    expect(checkpoint.state).toMatchObject({ hparams: { ent_coef: 0.02, learning_rate: 2e-4 }, counters: { step: 2048 } });
    expect(Array.from(checkpoint.arrays.w)).toEqual([1, 2, 3]);
    expect(handle.readMetrics()).toEqual([{ update: 1, step: 2048, wall_s: 2, return_mean: -900 }]);
    expect(handle.readEvents()).toEqual([{ type: 'fork', step: 2048, wallSeconds: 2, parent: parent.id, values: { ent_coef: 0.02 } }]);
  });

  it('refuses to change a fixed hyperparameter or to start from a missing checkpoint', () => {
    const { lab } = setup();
    const parent = parentWithCheckpoint(lab);
    expect(() => lab.forkRun(parent.id, { step: 2048, hparams: { num_envs: 4 } })).toThrow(/only live hyperparameters; not num_envs/);
    expect(() => lab.forkRun(parent.id, { step: 999, hparams: {} })).toThrow(/999/);
    expect(lab.listRuns()).toHaveLength(1);
  });
});

describe('Lab.close', () => {
  it('asks every trainer to stop, waits for it, and kills one that does not exit in time', async () => {
    vi.useFakeTimers();
    const { lab, started } = setup({ stopTimeoutMs: 5000 });
    lab.createRun(request());
    lab.createRun(request({ seed: 2 }));
    const closed = lab.close();
    expect(started.map((t) => t.commands)).toEqual([[{ type: 'stop' }], [{ type: 'stop' }]]);
    started[0].emit({ type: 'status', status: 'stopped', step: 0 });
    started[0].exit();
    await vi.advanceTimersByTimeAsync(5000);
    await closed;
    expect(started.map((t) => t.killed)).toEqual([false, true]);
  });
});

describe('Lab: runs folder', () => {
  it('lists every run in the folder, live only where this Lab trains it', () => {
    const { lab } = setup();
    const elsewhere = lab.store.createRun(lab.createRun(request()).config, { versions: { gaitlab: '0', node: 'v20' } });
    const mine = lab.listRuns().find((r) => r.id !== elsewhere.info.id)!;
    fs.mkdirSync(path.join(lab.store.root, 'not-a-run'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const listed = lab.listRuns();
    expect(listed.map((r) => r.id).sort()).toEqual([elsewhere.info.id, mine.id].sort());
    expect(Object.fromEntries(listed.map((r) => [r.id, r.live]))).toEqual({ [elsewhere.info.id]: false, [mine.id]: true });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not-a-run'));
  });
});

describe('Lab.scene', () => {
  it('gives the scene of a classic task and of a robot', async () => {
    const { lab } = setup();
    expect((await lab.scene('Pendulum-v1')).bodies.map((b) => b.name)).toEqual(['pivot', 'rod']);
    const hopper = await lab.scene('Hopper-v0');
    expect(hopper.bodies.length).toBeGreaterThan(3);
    expect(hopper.bodies.some((b) => b.name === 'torso')).toBe(true);
  });
});

describe("Lab: a run's videos in the UI", () => {
  function withVideo(videoHost?: LabOptions['videoHost']) {
    const { lab } = setup({ videoHost });
    const run = lab.createRun(request());
    const file = path.join(lab.store.root, run.id, 'videos', 'a.mp4');
    fs.writeFileSync(file, 'video');
    return { lab, runId: run.id, file };
  }

  it("gives the host's address and the path of a listed video, and reveals it where the host can", () => {
    const reveal = vi.fn();
    const { lab, runId, file } = withVideo({ url: (id, name) => `gaitlab-video://lab/${id}/${name}`, reveal });
    expect(lab.videoLocation(runId, 'a.mp4')).toEqual({ url: `gaitlab-video://lab/${runId}/a.mp4`, path: file, revealable: true });
    lab.revealVideo(runId, 'a.mp4');
    expect(reveal).toHaveBeenCalledWith(file);
    expect(() => lab.videoLocation(runId, 'b.mp4')).toThrow(/has no video "b.mp4"/);
    expect(() => lab.revealVideo(runId, 'b.mp4')).toThrow(/has no video/);
    expect(reveal).toHaveBeenCalledTimes(1);
  });

  it('says a browser cannot reveal a file, and a Lab without a host serves no videos', () => {
    const served = withVideo({ url: (id, name) => `/runs/${id}/videos/${name}` });
    expect(served.lab.videoLocation(served.runId, 'a.mp4').revealable).toBe(false);
    expect(() => served.lab.revealVideo(served.runId, 'a.mp4')).toThrow(/copy the video's path/);
    const bare = withVideo();
    expect(() => bare.lab.videoLocation(bare.runId, 'a.mp4')).toThrow(/serves no videos/);
  });
});
