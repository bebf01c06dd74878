/**
 * The training of one run: iterations of its training loop (on-policy: rollout and update;
 * off-policy: env steps into a replay buffer with gradient steps, see training-loop.ts), metrics,
 * checkpoints, live commands. Used the same way by `gaitlab train` (in-process) and by the Lab's
 * trainer processes. Commands (hyperparameter changes, pause, stop, checkpoint) apply at iteration
 * boundaries.
 */
import { Rng, initPhysics } from '../../sim/index.ts';
import type { RunConfig } from '../config/run-config.ts';
import type { RunStatus } from '../store/run-info.ts';
import type { TrainerCommand, TrainerMessage } from './protocol.ts';
import type { LoadedCheckpoint, RunHandle } from '../store/run-store.ts';
import { getAlgorithm, liveHparams, parseHparams } from '../algos/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { createTrainingLoop, type TrainingLoop } from './training-loop.ts';
import { EpisodeWindow } from './episode-window.ts';
import { evaluatePolicy, type EvaluationResult } from './evaluate.ts';
import { EpisodeRecorder, recordEvaluation, saveTrajectory, type RecordedEvaluation } from './episode-recorder.ts';
import { restoreCheckpoint, saveCheckpoint, type TrainerCounters } from './trainer-checkpoint.ts';
import { planBudget } from '../config/update-budget.ts';

export type MessageSink = (message: TrainerMessage) => void;

export interface TrainerOptions {
  /** Resume from this checkpoint instead of the newest intact one. */
  checkpoint?: number;
  /** Record env 0's episodes for the viewer (the Lab) or for a capped-cubic video schedule. */
  recordEpisodes?: boolean;
  /**
   * Awaited between updates, after the event loop has had its turn: a trainer process lets its
   * messages reach the Lab there (an update holds the loop for a second or more).
   */
  betweenUpdates?: () => Promise<void>;
  /** Train up to this step, then checkpoint and stop (a sweep's rung or PBT interval). */
  stopAtStep?: number;
}

export class Trainer {
  private hparams: Record<string, unknown>;
  private stopRequested = false;
  /** Why the run stops when no one pressed Stop (a signal, the app that started it exited). */
  private stopReason: string | undefined;
  private checkpointRequested = false;
  private paused = false;
  private resumeWaiter: (() => void) | null = null;
  private readonly episodes = new EpisodeWindow(20);
  /** Records env 0's episodes for the viewer; only when someone listens (the Lab), not in the CLI. */
  private recorder: EpisodeRecorder | null = null;
  private evaluationRequested = false;
  /** Train up to this step, then checkpoint and stop (a sweep's rung or PBT interval). */
  private stopAtStep = Infinity;
  readonly counters: TrainerCounters = { update: 0, step: 0, wallSeconds: 0 };

  private constructor(
    readonly run: RunHandle,
    readonly backendName: string,
    readonly loop: TrainingLoop,
    readonly rng: Rng,
    hparams: Record<string, unknown>,
    private readonly emit: MessageSink,
    /** The checkpoints on disk when this trainer chose one to start from (see `train`). */
    private readonly checkpointsAtOpen: readonly number[],
    private readonly betweenUpdates: (() => Promise<void>) | undefined,
  ) {
    this.hparams = hparams;
  }

  /**
   * Builds the run's env, networks and algorithm; starts from `options.checkpoint`, else from the
   * newest intact checkpoint (passing over damaged ones with a warning), else from scratch.
   * Only reads the run: a trainer that trains writes it, and locks it then (see `train`).
   */
  static async open(run: RunHandle, emit: MessageSink = () => {}, options: TrainerOptions = {}): Promise<Trainer> {
    const config = run.info.config;
    const algo = getAlgorithm(config.algo);
    const hparams = parseHparams(algo, config.hparams);
    const backend = await selectBackend(config.backend);
    await initPhysics(); // Rapier and the robot models, once per process
    const rng = Rng.fromSeed(config.seed);
    const loop = createTrainingLoop(algo, { envId: config.env, hparams, backend, rng, seed: config.seed, workers: config.workers });
    const steps = run.listCheckpoints();
    const trainer = new Trainer(run, backend.name, loop, rng, hparams, emit, steps, options.betweenUpdates);
    if (options.checkpoint !== undefined) {
      if (!steps.includes(options.checkpoint)) {
        throw new Error(`run ${run.info.id} has no checkpoint at step ${options.checkpoint}; it has: ${steps.join(', ') || 'none'}`);
      }
      trainer.restore(run.loadCheckpoint(options.checkpoint));
    } else {
      const { checkpoint, damaged } = run.loadNewestIntactCheckpoint();
      const problems = damaged.map((d) => `checkpoint ${d.step}: ${d.problem}`).join('; ');
      if (!checkpoint && damaged.length > 0) throw new Error(`run ${run.info.id} has no intact checkpoint (${problems})`);
      if (checkpoint && damaged.length > 0)
        console.warn(`gaitlab: using checkpoint ${checkpoint.step} of run ${run.info.id}, the newest intact one (${problems})`);
      if (checkpoint) trainer.restore(checkpoint);
    }
    trainer.stopAtStep = options.stopAtStep ?? Infinity;
    if (options.recordEpisodes) {
      trainer.recorder = new EpisodeRecorder(loop.stack.env, (trajectory) => emit({ type: 'trajectory', trajectory }), run);
    }
    return trainer;
  }

  /** The run's config as run.json has it now (`gaitlab resume --steps` raises the budget). */
  get config(): RunConfig {
    return this.run.info.config;
  }

  get totalUpdates(): number {
    return planBudget(this.config.totalSteps, this.loop.stepsPerIteration).updates;
  }

  get currentHparams(): Readonly<Record<string, unknown>> {
    return this.hparams;
  }

  /** Commands from the CLI (Ctrl-C) or the Lab; they take effect at the next update boundary. */
  command(command: TrainerCommand): void {
    switch (command.type) {
      case 'set-hparams':
        this.setHparams(command.values);
        break;
      case 'pause':
        this.paused = true;
        break;
      case 'resume':
        this.paused = false;
        this.resumeWaiter?.();
        break;
      case 'stop':
        this.stop();
        break;
      case 'checkpoint':
        this.checkpointRequested = true;
        break;
      case 'evaluate':
        this.evaluationRequested = true;
        break;
      case 'set-video-schedule':
        // Only kept with the run here; the Lab records the videos.
        this.run.updateInfo({ videoSchedule: command.schedule ?? undefined });
        break;
    }
  }

  /** Stops after the current update, with a checkpoint; `reason` is kept in run.json when given. */
  stop(reason?: string): void {
    this.stopRequested = true;
    this.stopReason ??= reason;
    this.resumeWaiter?.();
  }

  /**
   * Trains until the step budget is spent or a stop is requested; returns the final status.
   * Holds the run's lock meanwhile (taking it unless its handle has it already) and first drops
   * whatever the run holds past the checkpoint this trainer starts from (see RunHandle.rewindTo).
   */
  async train(): Promise<RunStatus> {
    const locked = this.run.lockForWriting();
    try {
      // Locked only now: another writer may have checkpointed since this trainer chose its start.
      if (locked && this.run.listCheckpoints().join() !== this.checkpointsAtOpen.join()) {
        throw new Error(`run ${this.run.info.id} changed while its trainer was starting (another writer?); start it again`);
      }
      this.run.rewindTo(this.counters.step);
      return await this.trainLocked();
    } finally {
      if (locked) this.run.unlock();
    }
  }

  private async trainLocked(): Promise<RunStatus> {
    this.emit({ type: 'started', runId: this.run.info.id, backend: this.backendName, step: this.counters.step });
    // An error or stop reason of an earlier session no longer holds.
    this.run.updateInfo({ versions: { ...this.run.info.versions, backend: this.backendName }, error: undefined, stopReason: undefined });
    this.setStatus('running');
    const sessionStart = performance.now();
    const wallAtStart = this.counters.wallSeconds;
    const stepAtStart = this.counters.step;
    let status: RunStatus = 'finished';
    while (this.counters.update < this.totalUpdates) {
      await yieldToEventLoop();
      await this.betweenUpdates?.();
      if (this.paused) await this.waitWhilePaused();
      if (this.stopRequested || this.counters.step >= this.stopAtStep) {
        status = 'stopped';
        break;
      }
      const update = this.counters.update + 1;
      const position = { update, step: this.counters.step };
      const recorder = this.recorder;
      const { episodes, stats } = this.loop.iterate(
        update,
        this.totalUpdates,
        recorder
          ? (result) => {
              position.step += this.loop.stack.env.numEnvs;
              recorder.observe(result, (result.rawRewards ?? result.rewards)[0], position);
            }
          : undefined,
      );
      const updateEnd = performance.now();

      this.counters.update = update;
      this.counters.step += this.loop.stepsPerIteration;
      this.counters.wallSeconds = wallAtStart + (updateEnd - sessionStart) / 1000;
      this.episodes.add(episodes);
      const row: Record<string, number | null> = {
        update,
        step: this.counters.step,
        wall_s: this.counters.wallSeconds,
        sps: (this.counters.step - stepAtStart) / ((updateEnd - sessionStart) / 1000),
        episodes: this.episodes.total,
        ...this.episodes.summary(),
        ...stats,
      };
      this.run.appendMetrics(row);
      this.emit({ type: 'metrics', row });

      const due = update % this.config.checkpointEveryUpdates === 0 || update === this.totalUpdates;
      if (due || this.checkpointRequested) this.checkpoint();
      if (this.evaluationRequested) this.evaluateNow();
    }
    const reason = status === 'stopped' ? this.stopReason : undefined;
    // A stop at a step just checkpointed (a sweep's segment end) writes no second checkpoint.
    if (status === 'stopped' && this.run.listCheckpoints().at(-1) !== this.counters.step) this.checkpoint();
    this.run.updateInfo({ status, summary: this.summary(), stopReason: reason });
    this.emit({ type: 'status', status, step: this.counters.step, ...(reason && { reason }) });
    return status;
  }

  /** Live hyperparameter change: validated, applied from the next update, and logged as an event. */
  setHparams(values: Record<string, unknown>): void {
    const algo = getAlgorithm(this.config.algo);
    const live = new Set(liveHparams(algo));
    const notLive = Object.keys(values).filter((k) => !live.has(k));
    if (notLive.length > 0) throw new Error(`cannot change ${notLive.join(', ')} while training (live: ${[...live].join(', ')})`);
    const next = parseHparams(algo, { ...this.hparams, ...values });
    this.loop.setHparams(values);
    const previous = Object.fromEntries(Object.keys(values).map((k) => [k, this.hparams[k]]));
    this.hparams = next;
    const event = { type: 'hparams', step: this.counters.step, wallSeconds: this.counters.wallSeconds, values, previous };
    this.run.appendEvent(event);
    this.emit({ type: 'event', event });
  }

  /** Deterministic episodes of the current policy with frozen normalization (see evaluate.ts). */
  evaluate(episodes: number, seed: number): EvaluationResult {
    return evaluatePolicy(this.loop.policy, this.config.env, this.loop.stack.obsNorm, episodes, seed);
  }

  /** Like `evaluate`, each episode recorded for replay (see episode-recorder.ts). */
  recordEvaluation(episodes: number, seed: number): RecordedEvaluation {
    const position = { update: this.counters.update, step: this.counters.step };
    const checkpoint = this.run.listCheckpoints().includes(this.counters.step) ? this.counters.step : null;
    return recordEvaluation(this.loop.policy, this.loop.stack.env, this.loop.stack.obsNorm, { episodes, seed, position, checkpoint });
  }

  /** "Evaluate now": one deterministic episode of the current policy, sent to the viewer and stored. */
  private evaluateNow(): void {
    this.evaluationRequested = false;
    const {
      result,
      trajectories: [trajectory],
    } = this.recordEvaluation(1, this.counters.update);
    this.emit({ type: 'trajectory', trajectory });
    saveTrajectory(this.run, trajectory);
    const event = { type: 'evaluation', step: this.counters.step, wallSeconds: this.counters.wallSeconds, returnMean: result.returnMean };
    this.run.appendEvent(event);
    this.emit({ type: 'event', event });
  }

  checkpoint(): void {
    saveCheckpoint(this.run, this.checkpointParts());
    this.checkpointRequested = false;
    this.emit({ type: 'checkpoint', step: this.counters.step, update: this.counters.update });
  }

  private restore(checkpoint: LoadedCheckpoint): void {
    const restored = restoreCheckpoint(this.run, checkpoint, this.checkpointParts());
    this.hparams = parseHparams(getAlgorithm(this.config.algo), restored.hparams);
    this.loop.setHparams(this.hparams);
    Object.assign(this.counters, restored.counters);
    this.episodes.restore(restored.episodes);
  }

  private checkpointParts() {
    return {
      counters: this.counters,
      hparams: this.hparams,
      loop: this.loop,
      rng: this.rng,
      episodes: this.episodes,
    };
  }

  private summary(): Record<string, number> {
    const s = this.episodes.summary();
    const out: Record<string, number> = { step: this.counters.step, updates: this.counters.update, wall_s: this.counters.wallSeconds };
    for (const [k, v] of Object.entries(s)) if (v !== null) out[k] = v;
    return out;
  }

  private setStatus(status: RunStatus): void {
    this.run.updateInfo({ status });
    this.emit({ type: 'status', status, step: this.counters.step });
  }

  private async waitWhilePaused(): Promise<void> {
    this.setStatus('paused');
    this.run.appendEvent({ type: 'pause', step: this.counters.step, wallSeconds: this.counters.wallSeconds });
    while (this.paused && !this.stopRequested) {
      await new Promise<void>((resolve) => (this.resumeWaiter = resolve));
      this.resumeWaiter = null;
    }
    if (!this.stopRequested) {
      this.run.appendEvent({ type: 'resume', step: this.counters.step, wallSeconds: this.counters.wallSeconds });
      this.setStatus('running');
    }
  }

  dispose(): void {
    this.loop.dispose();
  }
}

/** Lets IPC messages and signals in between updates. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
