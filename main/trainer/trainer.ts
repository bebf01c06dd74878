/**
 * The training loop of one run: rollout, update, metrics, checkpoints, live commands.
 * Used the same way by `gaitlab train` (in-process) and by the Lab's trainer processes.
 * Commands (hyperparameter changes, pause, stop, checkpoint) apply at update boundaries.
 */
import { Rng, initPhysics } from '../../sim/index.ts';
import type { RunConfig } from '../config/run-config.ts';
import type { RunStatus, TrainerCommand, TrainerMessage } from '../lab/protocol.ts';
import type { RunHandle } from '../store/run-store.ts';
import { getAlgorithm, liveHparams, parseHparams } from '../algos/index.ts';
import type { OnPolicyAlgorithm } from '../algos/algorithm.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import type { EnvStack } from './env-stack.ts';
import { buildRunParts, type RunHparams } from './run-parts.ts';
import { RolloutCollector } from './rollout.ts';
import { EpisodeWindow } from './episode-window.ts';
import { evaluatePolicy, type EvaluationResult } from './evaluate.ts';
import { EpisodeRecorder, trajectoryMessage } from './episode-recorder.ts';
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
  readonly counters: TrainerCounters = { update: 0, step: 0, wallSeconds: 0 };

  private constructor(
    readonly run: RunHandle,
    readonly config: RunConfig,
    readonly backendName: string,
    readonly agent: ActorCritic,
    private readonly algorithm: OnPolicyAlgorithm,
    private readonly stack: EnvStack,
    private readonly collector: RolloutCollector,
    readonly rng: Rng,
    hparams: Record<string, unknown>,
    private readonly emit: MessageSink,
  ) {
    this.hparams = hparams;
  }

  /** Builds the run's env, networks and algorithm; resumes from the latest complete checkpoint if any. */
  static async open(run: RunHandle, emit: MessageSink = () => {}, options: { checkpoint?: number; recordEpisodes?: boolean } = {}): Promise<Trainer> {
    const config = run.info.config;
    const algo = getAlgorithm(config.algo);
    const hparams = parseHparams(algo, config.hparams);
    const hp = hparams as unknown as RunHparams;
    const backend = await selectBackend(config.backend);
    await initPhysics(); // Rapier and the robot models, once per process
    const rng = Rng.fromSeed(config.seed);
    const { stack, agent } = buildRunParts(config.env, hp, backend, rng);
    const algorithm = algo.create(agent, hparams, rng);
    const initialObs = stack.env.reset(config.seed);
    const collector = new RolloutCollector(stack.env, agent, rng, hp.num_steps, initialObs, algo.advantageEstimator?.(hparams));
    const trainer = new Trainer(run, config, backend.name, agent, algorithm, stack, collector, rng, hparams, emit);
    const steps = run.listCheckpoints();
    if (options.checkpoint !== undefined && !steps.includes(options.checkpoint)) {
      throw new Error(`run ${run.info.id} has no checkpoint at step ${options.checkpoint}; it has: ${steps.join(', ') || 'none'}`);
    }
    const step = options.checkpoint ?? steps[steps.length - 1];
    if (step !== undefined) trainer.restore(step);
    if (options.recordEpisodes) {
      trainer.recorder = new EpisodeRecorder(stack.env, (trajectory) => emit({ type: 'trajectory', trajectory }));
    }
    return trainer;
  }

  get totalUpdates(): number {
    const hp = this.hparams as unknown as RunHparams;
    // CleanRL's num_iterations = total_timesteps // batch_size: never more steps than the budget.
    return Math.max(1, Math.floor(this.config.totalSteps / (hp.num_steps * hp.num_envs)));
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
    }
  }

  /** Trains until the step budget is spent or a stop is requested; returns the final status. */
  async train(): Promise<RunStatus> {
    const hp = () => this.hparams as unknown as RunHparams;
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
      if (this.stopRequested) {
        status = 'stopped';
        break;
      }
      const update = this.counters.update + 1;
      const learningRate = hp().anneal_lr ? hp().learning_rate * (1 - (update - 1) / this.totalUpdates) : hp().learning_rate;

      const collector = this.collector;
      collector.timings.envSeconds = 0;
      collector.timings.actSeconds = 0;
      const rolloutStart = performance.now();
      const position = { update, step: this.counters.step };
      const recorder = this.recorder;
      const finished = collector.collect(hp().gamma, hp().gae_lambda, recorder ? (result) => {
        position.step += this.stack.env.numEnvs;
        recorder.observe(result, (result.rawRewards ?? result.rewards)[0], position);
      } : undefined);
      const updateStart = performance.now();
      const stats = this.algorithm.update(collector.batch, { update, totalUpdates: this.totalUpdates, learningRate });
      const updateEnd = performance.now();

      this.counters.update = update;
      this.counters.step += collector.numSteps * this.stack.env.numEnvs;
      this.counters.wallSeconds = wallAtStart + (updateEnd - sessionStart) / 1000;
      this.episodes.add(finished);
      const row: Record<string, number | null> = {
        update,
        step: this.counters.step,
        wall_s: this.counters.wallSeconds,
        sps: (this.counters.step - stepAtStart) / ((updateEnd - sessionStart) / 1000),
        episodes: this.episodes.total,
        ...this.episodes.summary(),
        learning_rate: learningRate,
        ...stats,
        time_env_s: collector.timings.envSeconds,
        time_act_s: collector.timings.actSeconds,
        time_update_s: (updateEnd - updateStart) / 1000,
        time_rollout_s: (updateStart - rolloutStart) / 1000,
      };
      this.run.appendMetrics(row);
      this.emit({ type: 'metrics', row });

      const due = update % this.config.checkpointEveryUpdates === 0 || update === this.totalUpdates;
      if (due || this.checkpointRequested) this.checkpoint();
      if (this.evaluationRequested) this.evaluateNow();
    }
    if (status === 'stopped') this.checkpoint();
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
    this.algorithm.setHparams(values);
    const previous = Object.fromEntries(Object.keys(values).map((k) => [k, this.hparams[k]]));
    this.hparams = next;
    const event = { type: 'hparams', step: this.counters.step, wallSeconds: this.counters.wallSeconds, values, previous };
    this.run.appendEvent(event);
    this.emit({ type: 'event', event });
  }

  /** Deterministic episodes of the current policy with frozen normalization (see evaluate.ts). */
  evaluate(episodes: number, seed: number): EvaluationResult {
    return evaluatePolicy(this.agent, this.config.env, this.stack.obsNorm, episodes, seed);
  }

  /** "Evaluate now": one deterministic episode of the current policy, sent to the viewer. */
  private evaluateNow(): void {
    this.evaluationRequested = false;
    const frames: number[] = [];
    const rewards: number[] = [];
    const result = evaluatePolicy(this.agent, this.config.env, this.stack.obsNorm, 1, this.counters.update, (frame, reward) => {
      for (let i = 0; i < frame.length; i++) frames.push(frame[i]);
      rewards.push(reward);
    });
    const position = { update: this.counters.update, step: this.counters.step };
    this.emit({ type: 'trajectory', trajectory: trajectoryMessage(this.stack.env, frames, rewards, position, true) });
    const event = { type: 'evaluation', step: this.counters.step, wallSeconds: this.counters.wallSeconds, returnMean: result.returnMean };
    this.run.appendEvent(event);
    this.emit({ type: 'event', event });
  }

  checkpoint(): void {
    saveCheckpoint(this.run, this.checkpointParts());
    this.checkpointRequested = false;
    this.emit({ type: 'checkpoint', step: this.counters.step });
  }

  private restore(step: number): void {
    const restored = restoreCheckpoint(this.run, step, this.checkpointParts());
    this.hparams = parseHparams(getAlgorithm(this.config.algo), restored.hparams);
    this.algorithm.setHparams(this.hparams);
    Object.assign(this.counters, restored.counters);
    this.episodes.restore(restored.episodes);
  }

  private checkpointParts() {
    return {
      counters: this.counters,
      hparams: this.hparams,
      agent: this.agent,
      algorithm: this.algorithm,
      rng: this.rng,
      stack: this.stack,
      collector: this.collector,
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
    this.stack.env.close();
    this.agent.dispose();
  }
}

/** Lets IPC messages and signals in between updates. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
