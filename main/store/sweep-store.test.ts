/** The sweep store, and what sweeps need of the run store: sweep links, adopted runs, rewinds. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import { RunStore } from './run-store.ts';
import { SweepStore, type TrialRecord } from './sweep-store.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();
const runsDir = () => path.join(tempDir(), 'runs');
const versions = { gaitlab: '0.1.0', node: 'v20.0.0' };
const config = runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 3, totalSteps: 4096, hparams: {} });
const trial = (run: string): TrialRecord => ({
  trial: 0,
  run,
  previousRuns: [],
  hparams: { learning_rate: 1e-3 },
  seed: 1,
  status: 'pending',
  step: 0,
  target: 4096,
  metric: null,
});

describe('SweepStore', () => {
  it('keeps sweep.json and an append-only trials.jsonl in runs/sweeps/<id>/, listed newest first', () => {
    const store = new SweepStore(runsDir());
    const sweep = store.create({ method: 'random', env: 'Pendulum-v1' }, 'local', [trial('r1')]);
    expect(sweep.info.id).toMatch(/^\d{8}-\d{6}-random-Pendulum-v1-[0-9a-f]{4}$/);
    sweep.decide({ type: 'started', trial: 0, run: 'r1', step: 0 });
    sweep.decide({ type: 'exploited', trial: 0, run: 'r2', step: 1024, from: 'r3', hparams: { learning_rate: 8e-4 } });
    sweep.update({ status: 'finished' });
    const reopened = store.open(sweep.info.id);
    expect(reopened.info.status).toBe('finished');
    expect(reopened.readDecisions().map((d) => [d.type, d.from ?? null])).toEqual([
      ['started', null],
      ['exploited', 'r3'],
    ]);
    expect(store.list().map((s) => s.id)).toEqual([sweep.info.id]);
    expect(() => store.open('nope')).toThrow(/no sweep 'nope'.*gaitlab sweeps/);
  });

  it('is not a run: listing the runs skips the sweeps folder without a warning', () => {
    const runs = new RunStore(runsDir());
    const run = runs.createRun(config, { versions, sweep: { id: 's1', trial: 2 } });
    new SweepStore(runsDir()).create({ method: 'grid', env: 'Pendulum-v1' }, 'local', []);
    const broken: string[] = [];
    expect(runs.listRuns((b) => broken.push(b.dir)).map((r) => [r.id, r.sweep])).toEqual([[run.info.id, { id: 's1', trial: 2 }]]);
    expect(broken).toEqual([]);
  });
});

describe('RunStore.adoptRun', () => {
  it("mirrors another runs folder's run under its own id, which its writer can rewind", () => {
    const original = new RunStore(runsDir()).createRun(config, { versions });
    const mirror = new RunStore(path.join(tempDir(), 'worker')).adoptRun(original.info);
    expect(mirror.info).toEqual(original.info);
    expect(new RunStore(path.join(tempDir(), 'worker')).adoptRun({ ...original.info, name: 'again' }).info.name).toBe('again');
    for (const step of [512, 1024, 1536]) {
      mirror.appendMetrics({ step, return_mean: -step });
      mirror.appendEvent({ type: 'hparams', step, wallSeconds: 0 });
    }
    mirror.lockForWriting();
    mirror.rewindTo(1024);
    mirror.unlock();
    expect(mirror.readMetrics().map((r) => r.step)).toEqual([512, 1024]);
    expect(mirror.readEvents().map((e) => e.step)).toEqual([512, 1024]);
    mirror.appendMetrics({ step: 1536, return_mean: 0 });
    expect(mirror.readMetrics().map((r) => r.step)).toEqual([512, 1024, 1536]);
  });
});
