import { describe, expect, it } from 'vitest';
import type { SweepDecision } from '../../../main/lab/api.ts';
import { pbtLineage, trialOfRun } from './lineage.ts';
import { metricAxis, parameterAxis } from './parallel-coords.ts';
import { emptyForm, formOfRun, issuesAt, optionsOfForm, parseSetLines, specOfForm, trainWhere, waitingLabel } from './sweep-form.ts';

const time = '2026-01-01T00:00:00.000Z';

describe('PBT lineage', () => {
  it('lists each exploit: who copied whom, at which step, with which values', () => {
    const decisions: SweepDecision[] = [
      { type: 'started', trial: 0, run: 'r0', step: 0, time },
      { type: 'started', trial: 1, run: 'r1', step: 0, time },
      { type: 'exploited', trial: 1, run: 'r1b', step: 4096, from: 'r0', fromTrial: 0, replaced: 'r1', hparams: { learning_rate: 0.0012 }, time },
      { type: 'finished', trial: 0, run: 'r0', step: 8192, time },
      { type: 'exploited', trial: 0, run: 'r0b', step: 8192, from: 'r1b', fromTrial: 1, replaced: 'r0', hparams: { learning_rate: 0.0009 }, time },
    ];
    expect(pbtLineage(decisions)).toEqual([
      { trial: 1, run: 'r1b', replaced: 'r1', fromTrial: 0, fromRun: 'r0', step: 4096, hparams: { learning_rate: 0.0012 }, time },
      { trial: 0, run: 'r0b', replaced: 'r0', fromTrial: 1, fromRun: 'r1b', step: 8192, hparams: { learning_rate: 0.0009 }, time },
    ]);
    expect(pbtLineage(decisions.slice(0, 2))).toEqual([]);
  });

  it('maps every run of a trial, replaced ones included, to the trial', () => {
    const map = trialOfRun([
      { trial: 0, run: 'r0b', previousRuns: ['r0'] },
      { trial: 1, run: 'r1', previousRuns: [] },
    ]);
    expect([...map]).toEqual([
      ['r0b', 0],
      ['r0', 0],
      ['r1', 1],
    ]);
  });
});

describe('parallel coordinates', () => {
  it('puts a log range on a log axis and a linear one on a linear axis', () => {
    const log = parameterAxis('learning_rate', { min: 1e-4, max: 1e-2, log: true }, [1e-3]);
    expect(log.scale).toBe('log');
    expect(log.position(1e-4)).toBe(0);
    expect(log.position(1e-3)).toBeCloseTo(0.5, 12);
    expect(log.position(1e-2)).toBe(1);
    const linear = parameterAxis('gamma', { min: 0.9, max: 1, log: false }, []);
    expect(linear.position(0.95)).toBeCloseTo(0.5, 12);
    expect(linear.ticks.map((t) => t.label)).toEqual(['0.9', '1']);
  });

  it('widens an axis to values PBT perturbed past the range, and places nothing it cannot', () => {
    const axis = parameterAxis('ent_coef', { min: 0, max: 0.01 }, [0.02, undefined]);
    expect(axis.position(0.02)).toBe(1);
    expect(axis.position(0.01)).toBe(0.5);
    expect(axis.position(undefined)).toBeNull();
    expect(axis.position('x')).toBeNull();
  });

  it('spaces listed values evenly, numbers by value and others as categories', () => {
    const numbers = parameterAxis('num_steps', { values: [256, 512, 2048] }, []);
    expect(numbers.position(512)).toBeCloseTo(256 / 1792, 12);
    const flags = parameterAxis('norm_adv', { values: [true, false] }, []);
    expect(flags.scale).toBe('category');
    expect([flags.position(true), flags.position(false)]).toEqual([0, 1]);
    expect(parameterAxis('clip_vloss', { values: [true] }, []).position(true)).toBe(0.5);
  });

  it('scales the metric over the values reached; one value sits in the middle', () => {
    const axis = metricAxis('return_mean', [-1200, null, -200, -700]);
    expect([axis.position(-1200), axis.position(-700), axis.position(-200)]).toEqual([0, 0.5, 1]);
    expect(metricAxis('return_mean', [-300]).position(-300)).toBe(0.5);
    expect(metricAxis('return_mean', [null]).ticks).toEqual([]);
  });

  it('labels the two ends of an axis differently, however close they are', () => {
    // Two PBT trials that share a donor end a fraction apart: at three digits both read -1,180.
    expect(metricAxis('return_mean', [-1182.70261, -1182.32331]).ticks).toEqual([
      { label: '-1,183', at: 0 },
      { label: '-1,182', at: 1 },
    ]);
    expect(metricAxis('return_mean', [-1.00003, -1.00001]).ticks.map((t) => t.label)).toEqual(['-1.00003', '-1.00001']);
    expect(metricAxis('return_mean', [-1200, -200]).ticks.map((t) => t.label)).toEqual(['-1,200', '-200']);
  });
});

describe('the New-sweep form', () => {
  const fields = [
    { name: 'learning_rate', kind: 'number' as const },
    { name: 'num_steps', kind: 'integer' as const },
  ];

  it('makes the spec the CLI reads, leaving blanks to the defaults and searched values out of "set"', () => {
    const form = {
      ...emptyForm('Pendulum-v1', 'ppo'),
      steps: '4096',
      trials: '3',
      seeds: '1, 2',
      set: 'num_steps=512\nlearning_rate=3e-4\nnorm_adv=false\n',
      parameters: [
        { name: 'learning_rate', mode: 'range' as const, values: '', min: '1e-4', max: '3e-3', log: true },
        { name: 'num_steps', mode: 'range' as const, values: '', min: '256', max: '', log: false },
      ],
    };
    expect(specOfForm(form, fields)).toEqual({
      env: 'Pendulum-v1',
      algo: 'ppo',
      method: 'random',
      steps: 4096,
      trials: 3,
      concurrency: 2,
      metric: 'return_mean',
      seeds: [1, 2],
      parameters: { learning_rate: { min: 1e-4, max: 3e-3, log: true }, num_steps: { min: 256, log: false, int: true } },
      set: { norm_adv: false },
    });
  });

  it('sends text that is not a number as text, for main to name', () => {
    const spec = specOfForm(
      {
        ...emptyForm('Pendulum-v1', 'ppo'),
        method: 'grid',
        steps: 'lots',
        parameters: [{ name: 'gamma', mode: 'values', values: '0.99, high', min: '', max: '', log: false }],
      },
      fields,
    );
    expect(spec.steps).toBe('lots');
    expect(spec.trials).toBeUndefined();
    expect(spec.parameters).toEqual({ gamma: { values: [0.99, 'high'] } });
    expect(parseSetLines('gamma\nclip_coef = 0.3')).toEqual({ gamma: '', clip_coef: 0.3 });
  });

  it('adds the options of PBT and ASHA only to their methods', () => {
    const base = { ...emptyForm('Pendulum-v1', 'ppo'), interval: '2048', gracePeriod: '1024', reductionFactor: '' };
    expect(specOfForm({ ...base, method: 'pbt' }, fields)).toMatchObject({ pbt: { interval: 2048 } });
    expect(specOfForm({ ...base, method: 'asha' }, fields)).toMatchObject({ asha: { grace_period: 1024 } });
    expect(specOfForm({ ...base, method: 'random' }, fields)).not.toHaveProperty('pbt');
  });

  it('sends the queue beside the spec, never in it; a blank queue trains here', () => {
    const url = 'redis://:s3cret@10.0.0.5:6379';
    const form = { ...emptyForm('Pendulum-v1', 'ppo'), queue: `  ${url} ` };
    expect(optionsOfForm(form)).toEqual({ queue: url });
    expect(JSON.stringify(specOfForm(form, fields))).not.toContain('s3cret');
    expect(optionsOfForm({ queue: '' })).toEqual({});
    expect(optionsOfForm({ queue: ' \t' })).toEqual({});
    expect(emptyForm('Pendulum-v1', 'ppo').queue).toBe('');
  });

  it("puts a refused queue's message under its field; on this machine a failure is the Lab's notice", async () => {
    const told: string[] = [];
    const attempt = async <T>(action: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await action();
      } catch (error) {
        told.push((error as Error).message);
        return undefined;
      }
    };
    const refused = 'the queue is a http: URL: expected redis://HOST:PORT or rediss://HOST:PORT';
    const calls: object[] = [];
    const refuse = async (options: object): Promise<string> => {
      calls.push(options);
      throw new Error(refused);
    };

    expect(await trainWhere({ queue: 'http://:s3cret@10.0.0.5:6379' }, refuse, attempt)).toEqual({ result: undefined, queueError: refused });
    expect(told).toEqual([]);
    expect(await trainWhere({}, refuse, attempt)).toEqual({ result: undefined, queueError: null });
    expect(told).toEqual([refused]);
    expect(calls).toEqual([{ queue: 'http://:s3cret@10.0.0.5:6379' }, {}]);
    expect(await trainWhere({ queue: 'redis://10.0.0.5:6379' }, async () => 'sweep-1', attempt)).toEqual({ result: 'sweep-1', queueError: null });

    expect(waitingLabel({ queue: 'redis://10.0.0.5:6379' }, 'Resuming…')).toBe('Connecting…');
    expect(waitingLabel({}, 'Resuming…')).toBe('Resuming…');
  });

  it('prefills "sweep this" from a run: its values fixed, its learning rate searched around its value', () => {
    const form = formOfRun({ env: 'Hopper-v0', algo: 'ppo', totalSteps: 300000, seed: 4, hparams: { learning_rate: 0.0003, target_kl: null, num_envs: 8 } });
    expect(form).toMatchObject({ env: 'Hopper-v0', algo: 'ppo', steps: '300000', seeds: '4', set: 'learning_rate=0.0003\ntarget_kl=null\nnum_envs=8' });
    expect(form.parameters).toEqual([{ name: 'learning_rate', mode: 'range', values: '', min: '0.0001', max: '0.0009', log: true }]);
    expect(specOfForm(form, fields).set).toEqual({ target_kl: null, num_envs: 8 });
  });

  it("shows main's issues under the field they name", () => {
    const issues = [
      { field: 'parameters.learning_rate.min', message: 'min (1) is greater than max (0.1)' },
      { field: 'steps', message: 'Expected number' },
      { field: 'stepsize', message: 'other' },
    ];
    expect(issuesAt(issues, 'parameters.learning_rate')).toBe('min: min (1) is greater than max (0.1)');
    expect(issuesAt(issues, 'steps')).toBe('Expected number');
    expect(issuesAt(issues, 'trials')).toBeUndefined();
  });
});
