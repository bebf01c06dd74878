/**
 * The sweep controller: owns a sweep (runs/sweeps/<id>/), decides which trial trains next and to
 * which step, and hands segments to an executor, `concurrency` at once. Its state lives in
 * sweep.json after every decision, so `gaitlab sweep --resume` goes on from where it stopped.
 *
 *   grid, random  every trial trains to `steps`.
 *   asha          (Li et al. 2020) rungs at grace·rf^k steps; a free slot goes to the best
 *                 unpromoted trial in the top 1/rf of its rung (highest rung first), else to a new
 *                 trial; trials never promoted are stopped early.
 *   pbt           (Jaderberg et al. 2017) the population trains `interval` steps at a time; at each
 *                 round the bottom quantile exploits (a fork of a top-quantile trial's latest
 *                 checkpoint: weights, optimizer and normalizers) and explores (perturbed or
 *                 resampled live values). The fork is the trial's new run (parent: the donor), so
 *                 each run's metrics read as one history with steps increasing.
 */
import { Rng } from '../../sim/index.ts';
import { buildRunConfig } from '../config/build-run-config.ts';
import type { Hparams } from '../config/run-config.ts';
import { parseSweepSpec, type SweepSpec } from '../config/sweep-spec.ts';
import { forkRun } from '../lab/fork.ts';
import { labVersions } from '../lab/versions.ts';
import type { MetricsRow, RunStore } from '../store/run-store.ts';
import { bestTrial, SweepStore, type SweepHandle, type SweepInfo, type TrialRecord } from '../store/sweep-store.ts';
import type { TrialExecutor } from './executor.ts';
import { explore, gridSettings, sampleSetting } from './search-space.ts';
import { trialMetric } from './trial-metric.ts';

export interface SweepListener {
  onTrial?(trial: TrialRecord, what: string): void;
  onMetrics?(trial: TrialRecord, row: MetricsRow): void;
}

export interface SweepOutcome {
  sweep: string;
  trials: number;
  finished: number;
  failed: number;
  best: { run: string; metric: number; hparams: Hparams } | null;
}

export class SweepController {
  private stopping = false;

  private constructor(
    private readonly runs: RunStore,
    readonly sweep: SweepHandle,
    readonly spec: SweepSpec,
    private readonly executor: TrialExecutor,
    private readonly listener: SweepListener,
  ) {}

  /** Validates the spec, then creates the sweep and one run per trial (nothing is created when the spec is bad). */
  static create(runs: RunStore, input: unknown, executor: TrialExecutor, options: { queue: boolean; listener?: SweepListener }): SweepController {
    const spec = parseSweepSpec(input, { concurrency: options.queue ? Number.MAX_SAFE_INTEGER : undefined });
    const settings = initialSettings(spec);
    const configs = settings.map(({ hparams, seed }) =>
      buildRunConfig({
        env: spec.env,
        algo: spec.algo,
        seed,
        totalSteps: spec.steps,
        hparams: { ...spec.set, ...hparams },
        checkpointEveryUpdates: spec.checkpoint_every,
      }),
    );
    runs.ensureWritable();
    const sweep = new SweepStore(runs.root).create(input as Record<string, unknown>, options.queue ? 'queue' : 'local', []);
    const firstTarget = spec.method === 'asha' ? ashaRungs(spec)[0] : spec.method === 'pbt' ? Math.min(spec.pbt.interval, spec.steps) : spec.steps;
    const trials = configs.map((config, trial): TrialRecord => {
      const run = runs.createRun(config, { name: `${sweep.info.id} #${trial}`, versions: labVersions(), sweep: { id: sweep.info.id, trial } });
      return {
        trial,
        run: run.info.id,
        previousRuns: [],
        hparams: settings[trial].hparams,
        seed: config.seed,
        status: 'pending',
        step: 0,
        target: firstTarget,
        metric: null,
      };
    });
    sweep.update({ trials });
    return new SweepController(runs, sweep, spec, executor, options.listener ?? {});
  }

  /** Opens a stopped (or interrupted) sweep: its unfinished trials go on from their latest checkpoints. */
  static resume(runs: RunStore, id: string, executor: TrialExecutor, options: { queue: boolean; listener?: SweepListener }): SweepController {
    const sweep = new SweepStore(runs.root).open(id);
    const spec = parseSweepSpec(sweep.info.spec, { concurrency: options.queue ? Number.MAX_SAFE_INTEGER : undefined });
    const trials = sweep.info.trials.map((t) => (t.status === 'running' || t.status === 'stopped' ? { ...t, status: 'waiting' as const } : t));
    sweep.update({ trials, status: 'running', executor: options.queue ? 'queue' : 'local' });
    return new SweepController(runs, sweep, spec, executor, options.listener ?? {});
  }

  /** Trains until every trial is decided, or until stop(); returns the sweep's outcome. */
  async run(): Promise<SweepOutcome> {
    const active = new Map<number, Promise<void>>();
    try {
      for (;;) {
        while (!this.stopping && active.size < this.spec.concurrency) {
          const trial = this.nextTrial(active.size);
          if (!trial) break;
          active.set(
            trial.trial,
            this.trainSegment(trial).finally(() => active.delete(trial.trial)),
          );
        }
        if (active.size === 0) break;
        await Promise.race(active.values());
      }
    } finally {
      await this.executor.close();
    }
    if (!this.stopping) {
      for (const t of this.trials.filter((t) => t.status === 'waiting' || t.status === 'pending')) {
        this.setTrial(t.trial, { status: 'stopped-early' });
        this.sweep.decide({ type: 'stopped-early', trial: t.trial, run: t.run, step: t.step, metric: t.metric });
      }
    }
    this.sweep.update({ status: this.stopping ? 'stopped' : 'finished' });
    return sweepOutcome(this.sweep.info);
  }

  /** Ctrl-C: training trials checkpoint and stop, none starts; `--resume` goes on later. */
  stop(): void {
    this.stopping = true;
    this.executor.stop();
  }

  private get trials(): TrialRecord[] {
    return this.sweep.info.trials;
  }

  /** The next trial to train (marked running), or null while none may start now. */
  private nextTrial(running: number): TrialRecord | null {
    const ready = () => this.trials.find((t) => t.status === 'pending' || (t.status === 'waiting' && t.step < t.target));
    let next: TrialRecord | undefined;
    if (this.spec.method === 'asha') next = this.ashaPromotion() ?? ready();
    else if (this.spec.method === 'pbt') next = ready() ?? (running === 0 ? this.pbtRound() : undefined);
    else next = ready();
    return next ?? null;
  }

  private async trainSegment(trial: TrialRecord): Promise<void> {
    const first = trial.status === 'pending';
    this.setTrial(trial.trial, { status: 'running' });
    this.sweep.decide({
      type: first ? 'started' : 'resumed',
      trial: trial.trial,
      run: trial.run,
      step: trial.step,
      target: trial.target,
      hparams: trial.hparams,
    });
    this.listener.onTrial?.(trial, first ? 'started' : `resumed at step ${trial.step}`);
    const result = await this.executor.train(
      {
        sweepId: this.sweep.info.id,
        spec: this.sweep.info.spec,
        run: this.runs.openRun(trial.run),
        stopAtStep: trial.target >= this.spec.steps ? undefined : trial.target,
      },
      (row) => this.listener.onMetrics?.(trial, row),
    );
    if (result.status === 'failed') {
      this.setTrial(trial.trial, { status: 'failed', step: result.step, error: result.error });
      this.sweep.decide({ type: 'failed', trial: trial.trial, run: trial.run, step: result.step, error: result.error });
      this.listener.onTrial?.(this.trial(trial.trial), `failed: ${result.error}`);
      return;
    }
    const metric = await trialMetric(this.runs.openRun(trial.run), this.spec.metric);
    const reached = result.status === 'finished' || result.step >= trial.target;
    const status = result.status === 'finished' ? 'finished' : reached ? 'waiting' : 'stopped';
    const rungMetrics = this.spec.method === 'asha' && reached ? [...(trial.rungMetrics ?? []), metric] : trial.rungMetrics;
    this.setTrial(trial.trial, { status, step: result.step, metric, rungMetrics });
    if (status !== 'waiting') this.sweep.decide({ type: status, trial: trial.trial, run: trial.run, step: result.step, metric });
    this.listener.onTrial?.(this.trial(trial.trial), `${status === 'waiting' ? `reached step ${result.step}` : status}, ${this.spec.metric} ${metric ?? '-'}`);
  }

  /** ASHA's promotion: the best not-yet-promoted trial in the top 1/rf of its rung, highest rung first. */
  private ashaPromotion(): TrialRecord | undefined {
    const rungs = ashaRungs(this.spec);
    for (let k = rungs.length - 2; k >= 0; k--) {
      const atRung = this.trials.filter((t) => (t.rungMetrics?.length ?? 0) > k).sort((a, b) => this.score(b.rungMetrics![k]) - this.score(a.rungMetrics![k]));
      const top = atRung.slice(0, Math.floor(atRung.length / this.spec.asha.reduction_factor));
      const promoted = top.find((t) => t.status === 'waiting' && t.rungMetrics!.length === k + 1);
      if (promoted) {
        this.setTrial(promoted.trial, { target: rungs[k + 1] });
        this.sweep.decide({
          type: 'promoted',
          trial: promoted.trial,
          run: promoted.run,
          step: promoted.step,
          rung: k + 1,
          target: rungs[k + 1],
          metric: promoted.metric,
        });
        return this.trial(promoted.trial);
      }
    }
    return undefined;
  }

  /** PBT's exploit-and-explore round, once the whole population waits at its interval; the first trial to train next. */
  private pbtRound(): TrialRecord | undefined {
    const population = this.trials.filter((t) => t.status === 'waiting');
    if (population.length === 0) return undefined;
    const round = this.sweep.info.round + 1;
    const rng = Rng.fromSeed(this.spec.seed * 7919 + round);
    const ranked = [...population].sort((a, b) => this.score(b.metric) - this.score(a.metric));
    const count = population.length >= 2 ? Math.max(1, Math.floor(population.length * this.spec.pbt.quantile)) : 0;
    const donors = ranked.slice(0, count);
    for (const trial of ranked.slice(ranked.length - count)) {
      const donor = donors[rng.int(donors.length)];
      const donorRun = this.runs.openRun(donor.run);
      const step = donorRun.listCheckpoints().at(-1);
      if (step === undefined) continue;
      const hparams = explore(donor.hparams, this.spec.parameters, this.spec.pbt, rng);
      const child = forkRun(this.runs, donorRun, { step, hparams, name: `${this.sweep.info.id} #${trial.trial}` });
      child.updateInfo({ sweep: { id: this.sweep.info.id, trial: trial.trial } });
      this.setTrial(trial.trial, { run: child.info.id, previousRuns: [...trial.previousRuns, trial.run], hparams, step, metric: donor.metric });
      this.sweep.decide({
        type: 'exploited',
        trial: trial.trial,
        run: child.info.id,
        step,
        from: donor.run,
        fromTrial: donor.trial,
        replaced: trial.run,
        hparams,
      });
      this.listener.onTrial?.(this.trial(trial.trial), `exploited trial ${donor.trial} at step ${step}: ${JSON.stringify(hparams)}`);
    }
    const trials = this.trials.map((t) => (t.status === 'waiting' ? { ...t, target: Math.min(t.target + this.spec.pbt.interval, this.spec.steps) } : t));
    this.sweep.update({ trials, round });
    return this.trials.find((t) => t.status === 'waiting' && t.step < t.target);
  }

  private score(metric: number | null | undefined): number {
    if (metric === null || metric === undefined) return -Infinity;
    return this.spec.mode === 'max' ? metric : -metric;
  }

  private trial(index: number): TrialRecord {
    return this.trials[index];
  }

  private setTrial(index: number, patch: Partial<TrialRecord>): void {
    this.sweep.update({ trials: this.trials.map((t) => (t.trial === index ? { ...t, ...patch } : t)) });
  }
}

/** The searched values and seed of each trial: grid combinations or seeded draws, each repeated over the seeds (PBT: seeds cycle over the population). */
function initialSettings(spec: SweepSpec): { hparams: Hparams; seed: number }[] {
  const rng = Rng.fromSeed(spec.seed);
  const settings = spec.method === 'grid' ? gridSettings(spec.parameters) : Array.from({ length: spec.trials ?? 1 }, () => sampleSetting(spec.parameters, rng));
  if (spec.method === 'pbt') return settings.map((hparams, i) => ({ hparams, seed: spec.seeds[i % spec.seeds.length] }));
  return settings.flatMap((hparams) => spec.seeds.map((seed) => ({ hparams, seed })));
}

/** ASHA's rungs in env steps: grace·rf^k below `steps`, then `steps`. */
export function ashaRungs(spec: SweepSpec): number[] {
  const rungs: number[] = [];
  for (let r = spec.asha.grace_period; r < spec.steps; r *= spec.asha.reduction_factor) rungs.push(r);
  return [...rungs, spec.steps];
}

/** The one-line summary of `gaitlab sweep --json` and `gaitlab sweep-status`: counts and the best trial. */
export function sweepOutcome(info: SweepInfo): SweepOutcome {
  const best = bestTrial(info);
  return {
    sweep: info.id,
    trials: info.trials.length,
    finished: info.trials.filter((t) => t.status === 'finished').length,
    failed: info.trials.filter((t) => t.status === 'failed').length,
    best: best && { run: best.run, metric: best.metric as number, hparams: best.hparams },
  };
}
