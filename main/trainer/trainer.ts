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
import type { RunHandle } from '../store/run-store.ts';
import { getAlgorithm, liveHparams, parseHparams } from '../algos/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { createTrainingLoop, type TrainingLoop } from './training-loop.ts';
import { EpisodeWindow } from './episode-window.ts';
import { evaluatePolicy, type EvaluationResult } from './evaluate.ts';
import { EpisodeRecorder, recordEvaluation, saveTrajectory, type RecordedEvaluation } from './episode-recorder.ts';
import { restoreCheckpoint, saveCheckpoint, type TrainerCounters } from './trainer-checkpoint.ts';

export type MessageSink = (message: TrainerMessage) => void;


export class Trainer {
  private hparams: Record<string, unknown>;
  private stopRequested = false;
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
    readonly config: RunConfig,
    readonly backendName: string,
    readonly loop: TrainingLoop,
    readonly rng: Rng,
    hparams: Record<string, unknown>,
    private readonly emit: MessageSink,
  ) {
    this.hparams = hparams;
  }

  /** Builds the run's env, networks and algorithm; resumes from the latest complete checkpoint if any. */
  static async open(run: RunHandle, emit: MessageSink = () => {}, options: { checkpoint?: number; recordEpisodes?: boolean; stopAtStep?: number } = {}): Promise<Trainer> {
    const config = run.info.config;
    const algo = getAlgorithm(config.algo);
    const hparams = parseHparams(algo, config.hparams);
    const backend = await selectBackend(config.backend);
    await initPhysics(); // Rapier and the robot models, once per process
    const rng = Rng.fromSeed(config.seed);
    const loop = createTrainingLoop(algo, { envId: config.env, hparams, backend, rng, seed: config.seed, workers: config.workers });
    const trainer = new Trainer(run, config, backend.name, loop, rng, hparams, emit);
    const steps = run.listCheckpoints();
    if (options.checkpoint !== undefined && !steps.includes(options.checkpoint)) {
      throw new Error(`run ${run.info.id} has no checkpoint at step ${options.checkpoint}; it has: ${steps.join(', ') || 'none'}`);
    }
    const step = options.checkpoint ?? steps[steps.length - 1];
    if (step !== undefined) trainer.restore(step);
    trainer.stopAtStep = options.stopAtStep ?? Infinity;
    if (options.recordEpisodes) {
      trainer.recorder = new EpisodeRecorder(loop.stack.env, (trajectory) => emit({ type: 'trajectory', trajectory }), run);
    }
    return trainer;
  }

  get totalUpdates(): number {
    // CleanRL's num_iterations = total_timesteps // batch_size: never more steps than the budget.
    return Math.max(1, Math.floor(this.config.totalSteps / this.loop.stepsPerIteration));
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
        this.stopRequested = true;
        this.resumeWaiter?.();
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

  /** Trains until the step budget is spent or a stop is requested; returns the final status. */
  async train(): Promise<RunStatus> {
    // Rows and events past the checkpoint we start from (a run killed after it) are trained again.
    this.run.rewindTo(this.counters.step);
    this.emit({ type: 'started', runId: this.run.info.id, backend: this.backendName, step: this.counters.step });
    this.run.updateInfo({ versions: { ...this.run.info.versions, backend: this.backendName } });
    this.setStatus('running');
    const sessionStart = performance.now();
    const wallAtStart = this.counters.wallSeconds;
    const stepAtStart = this.counters.step;
    let status: RunStatus = 'finished';
    while (this.counters.update < this.totalUpdates) {
      await yieldToEventLoop();
      if (this.paused) await this.waitWhilePaused();
      if (this.stopRequested || this.counters.step >= this.stopAtStep) {
        status = 'stopped';
        break;
      }
      const update = this.counters.update + 1;
      const position = { update, step: this.counters.step };
      const recorder = this.recorder;
      const { episodes, stats } = this.loop.iterate(update, this.totalUpdates, recorder ? (result) => {
        position.step += this.loop.stack.env.numEnvs;
        recorder.observe(result, (result.rawRewards ?? result.rewards)[0], position);
      } : undefined);
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
    if (status === 'stopped' && this.run.listCheckpoints().at(-1) !== this.counters.step) this.checkpoint();
    this.run.updateInfo({ status, summary: this.summary() });
    this.emit({ type: 'status', status, step: this.counters.step });
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
    const { result, trajectories: [trajectory] } = this.recordEvaluation(1, this.counters.update);
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

  private restore(step: number): void {
    const restored = restoreCheckpoint(this.run, step, this.checkpointParts());
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
