/**
 * The Lab: the run registry behind every UI (Electron main or `gaitlab serve`). It creates runs in
 * the runs folder, starts one trainer process per active run, validates what trainers send and
 * fans it out to subscribers, and forwards commands. A trainer that dies before its run ended
 * marks the run failed with the reason; nothing else is touched. A run another process trains in
 * the same folder (`gaitlab train`, a CLI sweep's trials) is live too once a page asks for it: the
 * Lab follows its files and sends what they gain as the same events (run-followers.ts).
 */
import { hostname } from 'node:os';
import type { z } from 'zod';
import { getAlgorithm, liveHparams } from '../algos/index.ts';
import type { Hparams } from '../config/run-config.ts';
import { RunStore, type RunHandle, type RunInfo } from '../store/run-store.ts';
import { assertNoOtherWriter } from '../store/run-lock.ts';
import type {
  Catalog,
  ForkRequest,
  LabCalls,
  LabEvent,
  NewRunRequest,
  RunDefaults,
  RunDetail,
  RunSummary,
  RunValidation,
  Scene,
  SweepDetail,
  SweepSummary,
  SweepTrial,
  SweepValidation,
  TrajectoryMessage,
  VideoFile,
  VideoJob,
  VideoLocation,
} from './api.ts';
import { buildCatalog } from './catalog.ts';
import { EpisodePlayer, forkPlayer, type PlayerLauncher, type PlayStart } from './episode-player.ts';
import type { TrajectoryInfo } from '../store/trajectory-file.ts';
import { forkRun } from './fork.ts';
import { LatestThrottle } from './latest-throttle.ts';
import { checkNewRun, newRunBudget, newRunConfig, runDefaults } from './new-run.ts';
import { trainerMessageSchema, type TrainerCommand, type TrainerMessage } from '../trainer/protocol.ts';
import { envScene } from './scenes.ts';
import type { TrainerExit, TrainerLauncher, TrainerProcess } from './trainer-launcher.ts';
import { ENDED_STATUSES, settleTrainerRun, type SettledRun } from './trainer-exit.ts';
import { labVersions } from './versions.ts';
import { forkRecorder, VideoJobs, type RecorderLauncher } from './video-jobs.ts';
import { recordRequestSchema, type RecordRequestInput } from '../config/record-request.ts';
import { ScheduledVideos } from './scheduled-videos.ts';
import { RunFollowers, type FollowerOptions } from './run-followers.ts';
import { videoScheduleSchema, type VideoScheduleInput } from '../config/video-schedule.ts';
import { budgetNote } from '../config/update-budget.ts';
import { sweepSpecSchema } from '../config/sweep-spec.ts';
import { bestTrial, SweepStore, type SweepInfo, type TrialRecord } from '../store/sweep-store.ts';
import type { SweepRunner, SweepRunnerFactory, SweepTrainOptions } from './sweep-runner.ts';

export interface LabOptions {
  runsDir: string;
  launcher: TrainerLauncher;
  /** Least time between two training episodes passed on for one run (default 1 s). */
  trajectoryIntervalMs?: number;
  /** How long `close` waits for trainers to stop and checkpoint before killing them (default 15 s). */
  stopTimeoutMs?: number;
  /** How video recordings start (default: Node child processes). */
  recorderLauncher?: RecorderLauncher;
  /** How the episode player starts (default: a Node child process). */
  playerLauncher?: PlayerLauncher;
  /** How the UI reaches the runs' videos; without it videoLocation and revealVideo refuse. */
  videoHost?: VideoHost;
  /** What trains sweeps here (main/sweep/lab-sweeps.ts); without it the Lab lists sweeps but starts none. */
  sweeps?: SweepRunnerFactory;
  /** How runs other processes train are followed (run-followers.ts). */
  following?: FollowerOptions;
}

/**
 * What the UI's host (serve mode, Electron) knows of its runs' videos and the Lab does not: the
 * address its page streams a video from, and whether it can show a file in the file manager.
 */
export interface VideoHost {
  url(runId: string, name: string): string;
  /** Absent where the UI is a browser tab, which cannot open the file manager. */
  reveal?(file: string): void;
}

interface ActiveRun {
  process: TrainerProcess;
  /** The trainer reported finished, stopped or failed: its exit is expected. */
  ended: boolean;
  trajectories: LatestThrottle<TrajectoryMessage>;
  exited: Promise<void>;
}

export class Lab implements LabCalls {
  readonly store: RunStore;
  private readonly launcher: TrainerLauncher;
  private readonly trajectoryIntervalMs: number;
  private readonly stopTimeoutMs: number;
  private readonly active = new Map<string, ActiveRun>();
  /** The newest episode seen per run, for a viewer opened later. */
  private readonly latestTrajectory = new Map<string, TrajectoryMessage>();
  private readonly listeners = new Set<(event: LabEvent) => void>();
  private catalogCache: Catalog | null = null;
  private readonly videos: VideoJobs;
  private readonly scheduledVideos: ScheduledVideos;
  private readonly videoHost: VideoHost | undefined;
  private readonly player: EpisodePlayer;
  private readonly sweepStore: SweepStore;
  private readonly sweeps: SweepRunner | undefined;
  private readonly followers: RunFollowers;

  constructor(options: LabOptions) {
    this.store = new RunStore(options.runsDir);
    this.launcher = options.launcher;
    this.trajectoryIntervalMs = options.trajectoryIntervalMs ?? 1000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 15_000;
    this.videos = new VideoJobs(
      options.recorderLauncher ?? forkRecorder,
      (job) => this.emit({ type: 'video', job }),
      () => this.scheduledVideos.pump(),
    );
    this.scheduledVideos = new ScheduledVideos(this.videos);
    this.videoHost = options.videoHost;
    this.player = new EpisodePlayer(options.playerLauncher ?? forkPlayer, (event) =>
      this.emit('chunk' in event ? { type: 'episode', ...event } : { type: 'episode-failed', ...event }),
    );
    this.followers = new RunFollowers(
      { message: (runId, message) => this.emitTrainer(runId, message), changed: (info) => this.emit({ type: 'run', run: this.summary(info) }) },
      options.following,
    );
    this.sweepStore = new SweepStore(this.store.root);
    this.sweeps = options.sweeps?.({
      store: this.store,
      // A trial's trainer is watched like one this Lab started: the UI sees it train and can command it.
      launcher: (runDir, launch) => {
        const trainer = this.launcher(runDir, launch);
        this.watch(this.store.openRun(runDir), trainer);
        return trainer;
      },
      changed: (info) => this.emit({ type: 'sweep', sweep: this.sweepSummary(info) }),
      // A queued trial's rows; once a page follows the run's files, the follower sends them instead (once).
      metrics: (runId, row) => {
        if (!this.followers.isFollowing(runId)) this.emit({ type: 'trainer', runId, message: { type: 'metrics', row } });
      },
    });
  }

  catalog(): Catalog {
    this.catalogCache ??= buildCatalog();
    return this.catalogCache;
  }

  runDefaults(env: string, algo: string): RunDefaults {
    return runDefaults(env, algo);
  }

  validateRun(request: NewRunRequest): RunValidation {
    const issues = checkNewRun(request);
    if (issues.length > 0) return { ok: false, issues };
    const budget = newRunBudget(request);
    return { ok: true, budget, budgetNote: budgetNote(budget) };
  }

  createRun(request: NewRunRequest): RunSummary {
    const config = newRunConfig(request);
    const run = this.store.createRun(config, { name: request.name || undefined, versions: labVersions() });
    return this.start(run);
  }

  forkRun(runId: string, request: ForkRequest): RunSummary {
    const parent = this.store.openRun(runId);
    const child = forkRun(this.store, parent, request);
    // A fork carries on its parent's training, and so its videos.
    if (parent.info.videoSchedule) child.updateInfo({ videoSchedule: parent.info.videoSchedule });
    return this.start(child);
  }

  listRuns(): RunSummary[] {
    return this.store.listRuns().map((info) => this.summary(info));
  }

  getRun(runId: string): RunDetail {
    const run = this.store.openRun(runId);
    // Trained by another process: followed from exactly what is returned here.
    const elsewhere = !this.active.has(runId) && !ENDED_STATUSES.has(run.info.status);
    const { metrics, events } = elsewhere ? this.followers.follow(run) : { metrics: run.readMetrics(), events: run.readEvents() };
    const checkpoints = run.listCheckpoints();
    // Someone is looking at a run that can be played: have the player ready for their Play.
    if (checkpoints.length > 0) this.player.warm();
    const hparams: Hparams = { ...run.info.config.hparams };
    for (const event of events) if (event.type === 'hparams') Object.assign(hparams, event.values as Hparams);
    return {
      run: this.summary(run.info),
      metrics,
      events,
      checkpoints,
      liveHparams: this.liveHparamsOf(run.info),
      hparams,
      trajectory: this.latestTrajectory.get(runId) ?? null,
      // A live run's schedule is the one at work here; run.json gets it through the trainer, a moment later.
      videoSchedule: this.active.has(runId) ? this.scheduledVideos.get(runId) : (run.info.videoSchedule ?? null),
    };
  }

  scene(envId: string): Promise<Scene> {
    return envScene(envId);
  }

  command(runId: string, command: TrainerCommand): void {
    const active = this.active.get(runId);
    if (!active) throw new Error(`run ${runId} is not training in this lab`);
    if (command.type === 'set-video-schedule') return this.setVideoSchedule(runId, command.schedule);
    if (command.type === 'set-hparams') this.checkLiveChange(runId, command.values);
    active.process.send(command);
  }

  recordVideo(runId: string, request: RecordRequestInput): VideoJob {
    return this.videos.start(this.store.openRun(runId), recordRequestSchema.parse(request));
  }

  cancelVideo(runId: string): void {
    this.videos.cancel(runId);
  }

  listVideos(runId: string): VideoFile[] {
    return this.videos.list(this.store.openRun(runId));
  }

  videoLocation(runId: string, name: string): VideoLocation {
    if (!this.videoHost) throw new Error('this GaitLab serves no videos to a UI');
    return { url: this.videoHost.url(runId, name), path: this.videoFile(runId, name), revealable: this.videoHost.reveal !== undefined };
  }

  revealVideo(runId: string, name: string): void {
    if (!this.videoHost?.reveal) throw new Error("a browser cannot open the file manager: copy the video's path instead");
    this.videoHost.reveal(this.videoFile(runId, name));
  }

  /**
   * The file of one of the run's videos, for the hosts' video routes. `runId` must have passed the
   * LabApi's run id schema (openRun also takes paths); `name` must be one listVideos gives.
   */
  videoFile(runId: string, name: string): string {
    return this.videos.file(this.store.openRun(runId), name);
  }

  setVideoSchedule(runId: string, input: VideoScheduleInput | null): void {
    const run = this.store.openRun(runId);
    const schedule = input && videoScheduleSchema.parse(input);
    const active = this.active.get(runId);
    if (active) {
      active.process.send({ type: 'set-video-schedule', schedule });
      this.scheduledVideos.set(run, schedule, lastUpdate(run));
    } else {
      run.updateInfo({ videoSchedule: schedule ?? undefined }); // no trainer writes the run now
    }
  }

  listCheckpoints(runId: string): number[] {
    this.followers.touch(runId);
    return this.store.openRun(runId).listCheckpoints();
  }

  playCheckpoint(runId: string, checkpoint: number | null): PlayStart {
    return this.player.play(this.store.openRun(runId), checkpoint ?? undefined);
  }

  listTrajectories(runId: string): TrajectoryInfo[] {
    return this.store.openRun(runId).listTrajectories();
  }

  readTrajectory(runId: string, name: string): TrajectoryMessage {
    const {
      scene: _scene,
      checkpoint: _checkpoint,
      seed: _seed,
      episode: _episode,
      createdAt: _createdAt,
      ...episode
    } = this.store.openRun(runId).readTrajectory(name);
    return episode;
  }

  validateSweep(spec: Record<string, unknown>): SweepValidation {
    const result = sweepSpecSchema.safeParse(spec);
    if (result.success) return { ok: true };
    return { ok: false, issues: result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(spec)', message: issue.message })) };
  }

  async startSweep(spec: Record<string, unknown>, options: SweepTrainOptions = {}): Promise<SweepSummary> {
    return this.sweepSummary(await this.sweepRunner().start(spec, options));
  }

  listSweeps(): SweepSummary[] {
    return this.sweepStore.list().map((info) => this.sweepSummary(info));
  }

  getSweep(sweepId: string): SweepDetail {
    const sweep = this.sweepStore.open(sweepId);
    const info = sweep.info;
    return {
      sweep: this.sweepSummary(info),
      spec: info.spec,
      trials: info.trials.map((trial) => this.sweepTrial(info, trial)),
      decisions: sweep.readDecisions(),
    };
  }

  stopSweep(sweepId: string): void {
    this.sweepRunner().stop(sweepId);
  }

  async resumeSweep(sweepId: string, options: SweepTrainOptions = {}): Promise<SweepSummary> {
    return this.sweepSummary(await this.sweepRunner().resume(sweepId, options));
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks every trainer to stop (each checkpoints first); kills those still running after the timeout. */
  async close(): Promise<void> {
    // Sweeps first: their controllers start no trial once asked to stop, and their trainers stop below.
    const sweepsClosed = this.sweeps?.close();
    this.scheduledVideos.stopAll(); // before the recording stops: no queued one may start then
    this.videos.close();
    this.player.close();
    this.followers.close();
    const exits = [...this.active.values()].map(async (active) => {
      active.process.send({ type: 'stop' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.stopTimeoutMs)));
      const exited = await Promise.race([active.exited.then(() => true), timeout]);
      clearTimeout(timer);
      if (!exited) active.process.kill();
    });
    await Promise.all(exits);
    await sweepsClosed;
  }

  private start(run: RunHandle): RunSummary {
    // One writer per run: never a second trainer on a run that another process trains.
    assertNoOtherWriter(run.dir);
    return this.watch(run, this.launcher(run.dir));
  }

  /** Takes the trainer of `run` on: its messages go to the subscribers, commands go to it, its exit settles the run. */
  private watch(run: RunHandle, trainer: TrainerProcess): RunSummary {
    const runId = run.info.id;
    let exited!: () => void;
    const active: ActiveRun = {
      process: trainer,
      ended: false,
      trajectories: new LatestThrottle(this.trajectoryIntervalMs, (trajectory) => this.emitTrainer(runId, { type: 'trajectory', trajectory })),
      exited: new Promise((resolve) => (exited = resolve)),
    };
    this.active.set(runId, active);
    this.followers.stop(runId); // its trainer speaks for it now
    if (run.info.videoSchedule) this.scheduledVideos.set(run, run.info.videoSchedule, lastUpdate(run));
    trainer.onMessage((raw) => this.onTrainerMessage(runId, active, raw));
    trainer.onExit((exit) => {
      this.onTrainerExit(run, active, exit);
      exited();
    });
    const summary = this.summary(run.info);
    this.emit({ type: 'run', run: summary });
    return summary;
  }

  private onTrainerMessage(runId: string, active: ActiveRun, raw: unknown): void {
    const parsed = trainerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn(`gaitlab: ignoring an invalid message from the trainer of ${runId}: ${parsed.error.message}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'trajectory') {
      this.latestTrajectory.set(runId, message.trajectory);
      // Evaluations are asked for and always shown; training episodes are thinned out.
      if (message.trajectory.deterministic) this.emitTrainer(runId, message);
      else active.trajectories.push(message.trajectory);
      return;
    }
    if (message.type === 'status' && ENDED_STATUSES.has(message.status)) active.ended = true;
    if (message.type === 'checkpoint') this.scheduledVideos.checkpoint(runId, message.step, message.update);
    this.emitTrainer(runId, message);
    if (message.type === 'checkpoint') this.emitCheckpoints(runId);
    if (message.type === 'status') this.emitRunChanged(runId);
  }

  private onTrainerExit(run: RunHandle, active: ActiveRun, exit: TrainerExit): void {
    // Its checkpoints can be played now, and its core is free to start the player on. Not while it
    // trains: starting a process then takes a core from the page (80 ms long tasks in the performance e2e).
    this.player.warm();
    const runId = run.info.id;
    this.active.delete(runId);
    active.trajectories.flush();
    this.scheduledVideos.ended(runId);
    if (!active.ended) this.settleStatus(runId, exit);
    this.emitRunChanged(runId);
  }

  /** The trainer exited without telling us how its run ended: what it left in run.json says (trainer-exit.ts). */
  private settleStatus(runId: string, exit: TrainerExit): void {
    let run: RunHandle;
    let settled: SettledRun;
    try {
      run = this.store.openRun(runId);
      settled = settleTrainerRun(run.dir, exit);
    } catch (problem) {
      console.warn(`gaitlab: cannot read run ${runId} after its trainer exited: ${(problem as Error).message}`);
      return;
    }
    const { status, error, stopReason } = settled;
    this.emitTrainer(runId, { type: 'status', status, step: lastStep(run), ...(error && { error }), ...(stopReason && { reason: stopReason }) });
  }

  private checkLiveChange(runId: string, values: Record<string, unknown>): void {
    const algo = getAlgorithm(this.store.openRun(runId).info.config.algo);
    const live = new Set(liveHparams(algo));
    const problems = Object.entries(values).flatMap(([key, value]) => {
      if (!live.has(key)) return [`${key} cannot change while the run trains`];
      const result = (algo.hparamsSchema.shape[key] as z.ZodType).safeParse(value);
      return result.success ? [] : [`${key}: ${result.error.issues[0]?.message}`];
    });
    if (problems.length > 0) throw new Error(problems.join('; '));
  }

  private liveHparamsOf(info: RunInfo): string[] {
    try {
      return liveHparams(getAlgorithm(info.config.algo));
    } catch {
      return []; // an algorithm this version no longer has: the run can still be viewed
    }
  }

  private sweepRunner(): SweepRunner {
    if (!this.sweeps) throw new Error('this GaitLab trains no sweeps: use `gaitlab sweep SPEC.json`');
    return this.sweeps;
  }

  private sweepSummary(info: SweepInfo): SweepSummary {
    const spec = info.spec as { name?: string; method?: string; env?: string; algo?: string; metric?: string; mode?: string };
    const best = bestTrial(info);
    return {
      id: info.id,
      name: spec.name ?? null,
      status: info.status,
      method: String(spec.method),
      env: String(spec.env),
      algo: spec.algo ?? 'ppo',
      metric: spec.metric ?? 'return_mean',
      mode: spec.mode === 'min' ? 'min' : 'max',
      createdAt: info.createdAt,
      trials: info.trials.length,
      finished: info.trials.filter((t) => t.status === 'finished').length,
      failed: info.trials.filter((t) => t.status === 'failed').length,
      best: best && { trial: best.trial, run: best.run, metric: best.metric as number, hparams: best.hparams },
      live: this.sweeps?.isRunning(info.id) ?? false,
      executor: info.executor,
    };
  }

  /** A trial with its run's latest row and machine; a run missing from the folder shows the record alone. */
  private sweepTrial(info: SweepInfo, trial: TrialRecord): SweepTrial {
    const metric = (info.spec as { metric?: string }).metric ?? 'return_mean';
    const view: SweepTrial = {
      ...trial,
      machine: info.executor === 'local' ? hostname() : 'queue',
      latestStep: trial.step,
      latestMetric: trial.metric,
      totalSteps: Number(info.spec.steps),
    };
    let run: RunHandle;
    try {
      run = this.store.openRun(trial.run);
    } catch {
      return view;
    }
    const rows = run.readMetrics();
    const latest = rows.at(-1);
    const worker = run.readEvents().findLast((event) => event.type === 'worker');
    const value = metric === 'eval' ? undefined : rows.findLast((row) => typeof row[metric] === 'number')?.[metric];
    return {
      ...view,
      machine: worker ? String(worker.worker) : view.machine,
      latestStep: latest?.step ?? view.latestStep,
      latestMetric: value ?? view.latestMetric,
      totalSteps: run.info.config.totalSteps,
    };
  }

  private summary(info: RunInfo): RunSummary {
    return { ...info, live: this.active.has(info.id) };
  }

  private emitRunChanged(runId: string): void {
    let info: RunInfo;
    try {
      info = this.store.openRun(runId).info;
    } catch (error) {
      // The folder was deleted or damaged under us: nothing left to show for the run.
      console.warn(`gaitlab: ${(error as Error).message}`);
      return;
    }
    this.emit({ type: 'run', run: this.summary(info) });
  }

  /** The run's checkpoints as on disk: the trainer has just written one and applied retention. */
  private emitCheckpoints(runId: string): void {
    try {
      this.emit({ type: 'checkpoints', runId, steps: this.store.openRun(runId).listCheckpoints() });
    } catch (error) {
      console.warn(`gaitlab: cannot list the checkpoints of run ${runId}: ${(error as Error).message}`);
    }
  }

  private emitTrainer(runId: string, message: TrainerMessage): void {
    this.emit({ type: 'trainer', runId, message });
  }

  private emit(event: LabEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.warn(`gaitlab: a Lab subscriber failed: ${(error as Error).message}`);
      }
    }
  }
}

/** The update a run's trainer is at: that of its last metrics row. */
function lastUpdate(run: RunHandle): number {
  return run.readMetrics().at(-1)?.update ?? 0;
}

/** The exact env step a run's trainer reached: that of its last metrics row. */
function lastStep(run: RunHandle): number {
  return run.readMetrics().at(-1)?.step ?? 0;
}
