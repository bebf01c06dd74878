/**
 * LabApi: the one contract between the UI and the Lab. The renderer, the Electron preload and the
 * WebSocket server all speak it, and main validates every call's arguments (api-schemas.ts).
 * Types only, plus the method list and a client builder: no runtime dependency, so the renderer
 * and the sandboxed preload can import it.
 */
import type { HparamValue, Hparams } from '../config/run-config.ts';
import type { BudgetPlan } from '../config/update-budget.ts';
import type { MetricsRow, RunEvent, RunInfo } from '../store/run-store.ts';
import type { Scene } from '../../sim/core/scene.ts';
import type { TrainerCommand, TrainerMessage } from '../trainer/protocol.ts';
import type { RecordRequestInput } from '../config/record-request.ts';
import type { VideoSchedule, VideoScheduleInput } from '../config/video-schedule.ts';
import type { TrajectoryInfo, TrajectoryMessage } from '../store/trajectory-file.ts';
import type { EpisodeChunk } from '../trainer/episode-stream.ts';
import type { PlayStart } from './episode-player.ts';
import type { SweepTrainOptions } from './sweep-runner.ts';
import type { SweepDecision, SweepInfo, TrialRecord } from '../store/sweep-store.ts';

export type { Hparams, HparamValue, MetricsRow, RunEvent, RunInfo, Scene, TrainerCommand, TrainerMessage, TrajectoryMessage };
export type { RecordRequestInput, VideoSchedule, VideoScheduleInput };
export type { EpisodeChunk, PlayStart, TrajectoryInfo };
export type { RunStatus } from '../store/run-info.ts';
export type { SweepDecision, SweepTrainOptions, TrialRecord };

export interface VideoJob {
  id: string;
  runId: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  /** Frames encoded so far, of `total` (0 until the episodes are played). */
  done: number;
  total: number;
  /** The file's name in the run's videos/ folder, once done. */
  file?: string;
  /** Why it failed; or, when done, why the container asked for was not used. */
  message?: string;
}

export interface VideoFile {
  name: string;
  bytes: number;
  modifiedAt: string;
}

/** One hyperparameter as a form field, derived from the algorithm's zod schema. */
export interface HparamField {
  name: string;
  description: string;
  kind: 'number' | 'integer' | 'boolean' | 'string' | 'choice';
  default: HparamValue;
  /** null is a valid value (e.g. target_kl: off). */
  nullable: boolean;
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
  choices?: string[];
  /** May change while the run trains. */
  live: boolean;
}

export interface EnvEntry {
  id: string;
  description: string;
  observationSize: number;
  /** "3-d box" or "2 discrete". */
  action: string;
  dtSeconds: number;
  maxEpisodeSteps: number;
  rewardTerms: string[];
}

export interface AlgoEntry {
  id: string;
  title: string;
  description: string;
  fields: HparamField[];
}

export interface Catalog {
  envs: EnvEntry[];
  algos: AlgoEntry[];
}

/** Starting values for the New-run form. */
export interface RunDefaults {
  /** The preset's budget, else the CLI's default. */
  totalSteps: number;
  /** The algorithm's own defaults. */
  hparams: Hparams;
  /** The tuned preset for this env (over the defaults), if there is one. */
  preset: { description: string; hparams: Hparams } | null;
}

/** What the New-run form sends; values are checked in main (a text field may send a string). */
export interface NewRunRequest {
  env: string;
  algo: string;
  seed: unknown;
  totalSteps: unknown;
  hparams: Record<string, unknown>;
  name?: string;
}

/** `field` is `env`, `algo`, `seed`, `totalSteps`, `name` or `hparams.<name>`. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A valid request says what it trains: its budget as whole updates, and a line when that differs from the budget asked. */
export type RunValidation = { ok: true; budget: BudgetPlan; budgetNote: string | null } | { ok: false; issues: FieldIssue[] };

/** A run as listed: its run.json, and whether a trainer of this Lab is running it now. */
export interface RunSummary extends RunInfo {
  live: boolean;
}

export interface RunDetail {
  run: RunSummary;
  metrics: MetricsRow[];
  events: RunEvent[];
  checkpoints: number[];
  /** Hyperparameters that may change while the run trains. */
  liveHparams: string[];
  /** The values in force now: the config's, with every recorded live change applied. */
  hparams: Hparams;
  /** The latest episode this Lab has seen for the run, if any. */
  trajectory: TrajectoryMessage | null;
  /** The videos to record while the run trains (kept in run.json), if any. */
  videoSchedule: VideoSchedule | null;
}

export interface ForkRequest {
  /** Checkpoint step to start from. */
  step: number;
  /** Live hyperparameters to change in the fork. */
  hparams: Hparams;
  /** A new budget (env steps); the parent's when absent. */
  totalSteps?: number;
  name?: string;
}

/** Where the UI finds one of a run's videos (the address depends on the host: see VideoHost in lab.ts). */
export interface VideoLocation {
  /** An address the page can stream the file from, seeking included (Range requests). */
  url: string;
  /** The file's absolute path: what the UI shows to copy where it cannot reveal the file. */
  path: string;
  /** revealVideo can show the file in the system's file manager (the app can; a browser tab cannot). */
  revealable: boolean;
}

/** A sweep as listed: where it stands, its best trial, and whether a controller of this Lab drives it. */
export interface SweepSummary {
  id: string;
  name: string | null;
  status: SweepInfo['status'];
  method: string;
  env: string;
  algo: string;
  /** The metrics column trials are ranked by (or `eval`), and whether higher is better. */
  metric: string;
  mode: 'max' | 'min';
  createdAt: string;
  trials: number;
  finished: number;
  failed: number;
  best: { trial: number; run: string; metric: number; hparams: Hparams } | null;
  /** A controller in this Lab trains it now (stop works); else it may be resumed here. */
  live: boolean;
  /** Where its trials trained last: this machine, or a queue's workers (its URL is stored nowhere). */
  executor: SweepInfo['executor'];
}

/** A trial as the Sweeps view shows it: the controller's record and its run's latest state on disk. */
export interface SweepTrial extends TrialRecord {
  /** Where it trains or trained last: this machine, or the queue worker that reported last. */
  machine: string;
  /** The run's latest metrics row: step and the sweep's metric (null before the first update; `eval` until decided). */
  latestStep: number;
  latestMetric: number | null;
  totalSteps: number;
}

export interface SweepDetail {
  sweep: SweepSummary;
  /** The spec as given (defaults not filled in). */
  spec: Record<string, unknown>;
  trials: SweepTrial[];
  /** trials.jsonl: started, promoted, stopped early, exploited (PBT lineage), finished... oldest first. */
  decisions: SweepDecision[];
}

/** `field` is the spec's field path (`parameters.learning_rate.min`), or `(spec)` for the whole. */
export type SweepValidation = { ok: true } | { ok: false; issues: FieldIssue[] };

/**
 * Pushed to every subscriber: a trainer's message, a run that appeared or changed state, a video's
 * progress, the run's checkpoints as on disk after one was written (retention may have removed
 * others), a played episode's next chunk (see playCheckpoint), or why it could not be played, or a
 * sweep whose trials or status changed (its trials' training comes as their runs' trainer events).
 */
export type LabEvent =
  | { type: 'trainer'; runId: string; message: TrainerMessage }
  | { type: 'run'; run: RunSummary }
  | { type: 'video'; job: VideoJob }
  | { type: 'checkpoints'; runId: string; steps: number[] }
  | { type: 'episode'; runId: string; chunk: EpisodeChunk }
  | { type: 'episode-failed'; runId: string; playId: number; error: string }
  | { type: 'sweep'; sweep: SweepSummary };

/** The calls as the Lab implements them (main side, synchronous or not). */
export interface LabCalls {
  catalog(): Catalog;
  runDefaults(env: string, algo: string): RunDefaults;
  validateRun(request: NewRunRequest): RunValidation;
  /** Creates the run and starts training it. */
  createRun(request: NewRunRequest): RunSummary;
  listRuns(): RunSummary[];
  /**
   * The run as on disk. One another process trains (`gaitlab train`, a CLI sweep) is followed from
   * then on: its new rows, events and end come as 'trainer' and 'run' events, as a trainer's here do.
   */
  getRun(runId: string): RunDetail;
  scene(envId: string): Promise<Scene>;
  command(runId: string, command: TrainerCommand): void;
  forkRun(runId: string, request: ForkRequest): RunSummary;
  /** Starts recording a video into the run's videos/ folder (one at a time); progress comes as 'video' events. */
  recordVideo(runId: string, request: RecordRequestInput): VideoJob;
  /** Cancels the run's recording under way (its unfinished file is removed); its job ends 'cancelled'. */
  cancelVideo(runId: string): void;
  listVideos(runId: string): VideoFile[];
  /** Where to play one of the run's videos (a name listVideos gives). */
  videoLocation(runId: string, name: string): VideoLocation;
  /** Shows one of the run's videos in the system's file manager; only where `revealable`. */
  revealVideo(runId: string, name: string): void;
  /** Sets the videos to record while the run trains here (see video-schedule.ts), kept with the run; null: none. */
  setVideoSchedule(runId: string, schedule: VideoScheduleInput | null): void;
  /** The run's complete checkpoints on disk now, oldest first; asking keeps a followed run (see getRun) followed. */
  listCheckpoints(runId: string): number[];
  /**
   * Plays a deterministic evaluation episode of a checkpoint (null: the latest) of any run, trained
   * here or not, in a background process; its frames come as 'episode' events while it is played.
   */
  playCheckpoint(runId: string, checkpoint: number | null): PlayStart;
  /** The run's stored episodes (trajectories/), oldest training step first. */
  listTrajectories(runId: string): TrajectoryInfo[];
  /** One stored episode, to replay. */
  readTrajectory(runId: string, name: string): TrajectoryMessage;
  /** Checks a sweep spec with the CLI's schema; each mistake by its field path. */
  validateSweep(spec: Record<string, unknown>): SweepValidation;
  /**
   * Creates the sweep and its trial runs, and trains them here (local trainer processes) or, with a
   * queue, on the `gaitlab worker`s that take them; a queue that is not a redis:// URL or cannot be
   * reached is refused before anything is created.
   */
  startSweep(spec: Record<string, unknown>, options?: SweepTrainOptions): Promise<SweepSummary>;
  /** Every sweep in the runs folder, newest first. */
  listSweeps(): SweepSummary[];
  getSweep(sweepId: string): SweepDetail;
  /** Training trials checkpoint and stop; none starts. */
  stopSweep(sweepId: string): void;
  /** A stopped (or interrupted) sweep goes on here (or through a queue), its trials from their latest checkpoints. */
  resumeSweep(sweepId: string, options?: SweepTrainOptions): Promise<SweepSummary>;
}

export type LabMethod = keyof LabCalls;

export const LAB_METHODS = [
  'catalog',
  'runDefaults',
  'validateRun',
  'createRun',
  'listRuns',
  'getRun',
  'scene',
  'command',
  'forkRun',
  'recordVideo',
  'cancelVideo',
  'listVideos',
  'videoLocation',
  'revealVideo',
  'setVideoSchedule',
  'listCheckpoints',
  'playCheckpoint',
  'listTrajectories',
  'readTrajectory',
  'validateSweep',
  'startSweep',
  'listSweeps',
  'getSweep',
  'stopSweep',
  'resumeSweep',
] as const satisfies readonly LabMethod[];

/** The calls as a client sees them (always asynchronous), plus the event stream. */
export type LabApi = {
  [M in LabMethod]: (...args: Parameters<LabCalls[M]>) => Promise<Awaited<ReturnType<LabCalls[M]>>>;
} & {
  /** Returns the function that unsubscribes. */
  subscribe(listener: (event: LabEvent) => void): () => void;
};

/** A call's outcome on the wire: errors travel as messages, never as thrown objects. */
export type CallResult = { ok: true; value: unknown } | { ok: false; error: string };

/** What a transport (Electron IPC, WebSocket) provides; `createLabClient` turns it into a LabApi. */
export interface LabTransport {
  call(method: LabMethod, args: unknown[]): Promise<CallResult>;
  subscribe(listener: (event: LabEvent) => void): () => void;
}

/** WebSocket frames: client -> server calls, server -> client replies and pushed events. */
export interface WireCall {
  id: number;
  method: string;
  args: unknown[];
}
export type WireServerFrame = ({ kind: 'reply'; id: number } & CallResult) | { kind: 'event'; event: LabEvent };

export class LabError extends Error {
  override name = 'LabError';
}

export function createLabClient(transport: LabTransport): LabApi {
  const api = { subscribe: (listener: (event: LabEvent) => void) => transport.subscribe(listener) } as Record<string, unknown>;
  for (const method of LAB_METHODS) {
    api[method] = async (...args: unknown[]) => {
      const result = await transport.call(method, args);
      if (!result.ok) throw new LabError(result.error);
      return result.value;
    };
  }
  return api as LabApi;
}
