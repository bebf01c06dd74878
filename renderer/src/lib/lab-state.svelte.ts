/**
 * The UI's state: the catalog, the run list and the runs whose data is loaded, all kept current
 * by the Lab's event stream. Metric rows are plain arrays with a version counter (charts redraw on
 * the counter), so thousands of rows never become reactive proxies.
 */
import type {
  Catalog,
  Hparams,
  LabApi,
  LabEvent,
  MetricsRow,
  RecordRequestInput,
  RunDetail,
  RunEvent,
  RunStatus,
  RunSummary,
  Scene,
  SweepSummary,
  TrainerMessage,
  VideoJob,
  VideoSchedule,
} from '../../../main/lab/api.ts';
import { connectLab, type ConnectionState } from './lab-client.ts';
import { paintLater } from './paint-frames.ts';
import { withChunk, type ViewerEpisode } from '../viewer/playback.ts';
import { formatSteps } from './format.ts';
import type { SweepForm } from '../sweeps/sweep-form.ts';

/** What Play shows: an evaluation episode of a checkpoint (null: the latest), or an episode stored with the run. */
export type PlaySource = { checkpoint: number | null } | { trajectory: string };
import { hashOfView, viewFromHash, type View } from './route.ts';

export type { View };

const RUN_LIST_REFRESH_MS = 5000;
/** Statuses of a run that may be training in another process (the Lab follows it from getRun on). */
const TRAINING_ELSEWHERE: ReadonlySet<RunStatus> = new Set(['created', 'running', 'paused']);

export class RunData {
  summary = $state.raw<RunSummary>() as RunSummary;
  readonly metrics: MetricsRow[];
  events = $state.raw<RunEvent[]>([]);
  /** Complete checkpoints on disk, oldest first (the Lab sends the list afresh after each one). */
  checkpoints = $state.raw<number[]>([]);
  hparams = $state.raw<Hparams>({});
  readonly liveHparams: string[];
  trajectory = $state.raw<ViewerEpisode | null>(null);
  videoSchedule = $state.raw<VideoSchedule | null>(null);
  /** Bumped whenever a metrics row arrives. */
  version = $state(0);
  /** The user pressed Checkpoint: the next checkpoint is theirs, to be told and marked on the charts. */
  checkpointAsked = false;

  constructor(detail: RunDetail) {
    this.summary = detail.run;
    this.metrics = detail.metrics;
    this.events = detail.events;
    this.checkpoints = detail.checkpoints;
    this.hparams = detail.hparams;
    this.liveHparams = detail.liveHparams;
    this.trajectory = detail.trajectory;
    this.videoSchedule = detail.videoSchedule;
  }

  /**
   * Live values the Lab accepted become the values in force at once: the trainer takes them at its
   * next update (seconds away on a big robot) and its event then only confirms them.
   */
  acceptHparams(values: Hparams): void {
    this.hparams = { ...this.hparams, ...values };
  }

  apply(message: TrainerMessage): void {
    switch (message.type) {
      case 'metrics': {
        // A row already read from disk (the event raced the initial load) is not added twice.
        const last = this.metrics.at(-1);
        if (last && (message.row.update ?? 0) <= (last.update ?? 0)) return;
        this.metrics.push(message.row);
        this.version++;
        break;
      }
      case 'event': {
        const event = message.event;
        if (this.events.some((e) => e.type === event.type && e.step === event.step && e.wallSeconds === event.wallSeconds)) return;
        this.events = [...this.events, event];
        if (event.type === 'hparams') this.acceptHparams(event.values as Hparams);
        break;
      }
      case 'checkpoint':
        // The list itself comes from disk (a 'checkpoints' event): retention may have removed others.
        if (this.checkpointAsked) {
          this.checkpointAsked = false;
          const wallSeconds = this.metrics.at(-1)?.wall_s ?? 0;
          this.events = [...this.events, { type: 'checkpoint', step: message.step, wallSeconds }];
        }
        break;
      case 'trajectory':
        this.trajectory = message.trajectory;
        break;
    }
  }
}

export class LabState {
  readonly api: LabApi;
  connection = $state<ConnectionState>('connecting');
  /** Connected once: a later 'connecting' is a reconnection, worth telling the user about. */
  wasOpen = $state(false);
  catalog = $state.raw<Catalog | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  /** What the page shows, kept in the address (lib/route.ts) so a reload comes back to it. */
  view = $state.raw<View>(viewFromHash(location.hash));
  /** Every sweep in the runs folder, newest first. */
  sweeps = $state.raw<SweepSummary[]>([]);
  /** "Sweep this": the New-sweep form starts from this run's settings. */
  sweepDraft = $state.raw<SweepForm | null>(null);
  /** Runs chosen in the list for the compare view. */
  compareIds = $state.raw<string[]>([]);
  notice = $state<{ text: string; kind: 'error' | 'info' } | null>(null);
  /** The newest metrics row of each run that trained while this page was open (for the list). */
  latestRow = $state.raw<Record<string, MetricsRow>>({});
  /** The latest video recording of each run (under way, done or failed). */
  videoJobs = $state.raw<Record<string, VideoJob>>({});
  /** The video exports a user started from this page (not a run's video schedule, recorded in the background). */
  exportIds = $state.raw<string[]>([]);
  // Caches behind the reactive fields above, never read by a template: plain maps on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly loaded = new Map<string, RunData>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly scenes = new Map<string, Promise<Scene>>();
  /** Messages that arrive while a run's data is being fetched, applied once it is there. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly buffered = new Map<string, TrainerMessage[]>();
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.api = connectLab((state) => {
      this.connection = state;
      if (state !== 'open') return;
      this.wasOpen = true;
      void this.refresh();
    });
    // What the Lab streams (rows, episodes, statuses) changes the page in paint frames, with the viewer.
    this.api.subscribe((event) => paintLater(() => this.onEvent(event)));
    if (this.view.kind === 'compare') this.compareIds = this.view.runIds;
    // Back, Forward and edited addresses show what they name.
    addEventListener('hashchange', () => {
      if (location.hash !== hashOfView(this.view)) this.view = viewFromHash(location.hash);
    });
    // Runs and sweeps that other processes (say `gaitlab train`, `gaitlab sweep`) add to the folder show up too.
    setInterval(() => {
      if (this.connection !== 'open') return;
      this.api.listRuns().then(
        (runs) =>
          paintLater(() => {
            this.runs = runs;
            this.keepFollowing(runs);
          }),
        () => {},
      );
      this.api.listSweeps().then(
        (sweeps) => paintLater(() => (this.sweeps = sweeps)),
        () => {},
      );
    }, RUN_LIST_REFRESH_MS);
  }

  async refresh(): Promise<void> {
    await this.attempt(async () => {
      this.catalog ??= await this.api.catalog();
      this.runs = await this.api.listRuns();
      this.sweeps = await this.api.listSweeps();
    });
  }

  /** Records a video the user asked for here; the page's own viewer rests while it is encoded (see RunView). */
  async recordVideo(runId: string, request: RecordRequestInput): Promise<void> {
    const job = await this.attempt(() => this.api.recordVideo(runId, request));
    if (job) this.exportIds = [...this.exportIds, job.id];
  }

  /** Whether an export started from this page is being encoded. */
  get exporting(): boolean {
    return Object.values(this.videoJobs).some((job) => job.status === 'running' && this.exportIds.includes(job.id));
  }

  /**
   * Runs `action` for a user's click or edit: a failure (the Lab refused, the connection dropped)
   * is told in a notice, not thrown. Its result, or undefined when it failed.
   */
  async attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action();
    } catch (error) {
      this.tell((error as Error).message);
      return undefined;
    }
  }

  /** The run's data, fetched once and then kept current. */
  async load(runId: string): Promise<RunData> {
    const known = this.loaded.get(runId);
    if (known) {
      // Trained elsewhere meanwhile (the CLI), or pruned: the pickers offer what is on disk.
      this.api.listCheckpoints(runId).then(
        (steps) => (known.checkpoints = steps),
        () => {},
      );
      return known;
    }
    this.buffered.set(runId, []);
    try {
      const data = new RunData(await this.api.getRun(runId));
      for (const message of this.buffered.get(runId) ?? []) data.apply(message);
      this.loaded.set(runId, data);
      return data;
    } finally {
      this.buffered.delete(runId);
    }
  }

  /**
   * The Lab follows a loaded run that another process trains (the CLI) while a page asks for it:
   * ask again, for its checkpoints, which that process writes without telling the Lab.
   */
  private keepFollowing(runs: RunSummary[]): void {
    for (const run of runs) {
      const data = this.loaded.get(run.id);
      if (!data || run.live || !TRAINING_ELSEWHERE.has(run.status)) continue;
      this.api.listCheckpoints(run.id).then(
        (steps) => (data.checkpoints = steps),
        () => {},
      );
    }
  }

  /** The env's scene, fetched once. */
  scene(envId: string): Promise<Scene> {
    let scene = this.scenes.get(envId);
    if (!scene) {
      scene = this.api.scene(envId);
      this.scenes.set(envId, scene);
      scene.catch(() => this.scenes.delete(envId));
    }
    return scene;
  }

  /** The "Sweep this" draft, once: the form that takes it owns it from then on. */
  takeSweepDraft(): SweepForm | null {
    const draft = this.sweepDraft;
    this.sweepDraft = null;
    return draft;
  }

  show(view: View): void {
    this.view = view;
    const hash = hashOfView(view);
    if (location.hash !== hash) location.hash = hash;
  }

  tell(text: string, kind: 'error' | 'info' = 'error'): void {
    this.notice = { text, kind };
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice = null), kind === 'error' ? 8000 : 3500);
  }

  /** Plays a checkpoint's evaluation episode (streamed as it is computed) or a stored episode in the run's viewer. */
  async play(data: RunData, source: PlaySource): Promise<void> {
    const runId = data.summary.id;
    await this.attempt(async () => {
      if ('trajectory' in source) {
        const episode = await this.api.readTrajectory(runId, source.trajectory);
        data.trajectory = { ...episode, playId: --this.storedPlays, complete: true };
      } else {
        await this.api.playCheckpoint(runId, source.checkpoint);
      }
    });
  }

  /** Stored episodes get play ids of their own, below the Lab's (which count up from 1). */
  private storedPlays = 0;

  private onEvent(event: LabEvent): void {
    if (event.type === 'checkpoints') {
      const data = this.loaded.get(event.runId);
      if (data) data.checkpoints = event.steps;
      return;
    }
    if (event.type === 'episode') {
      const data = this.loaded.get(event.runId);
      if (data) data.trajectory = withChunk(data.trajectory, event.chunk);
      return;
    }
    if (event.type === 'episode-failed') {
      if (this.loaded.has(event.runId)) this.tell(`could not play the checkpoint: ${event.error}`);
      return;
    }
    if (event.type === 'video') {
      this.videoJobs = { ...this.videoJobs, [event.job.runId]: event.job };
      return;
    }
    if (event.type === 'sweep') {
      const known = this.sweeps.some((sweep) => sweep.id === event.sweep.id);
      this.sweeps = known ? this.sweeps.map((sweep) => (sweep.id === event.sweep.id ? event.sweep : sweep)) : [event.sweep, ...this.sweeps];
      return;
    }
    if (event.type === 'run') {
      const others = this.runs.filter((run) => run.id !== event.run.id);
      const known = others.length < this.runs.length;
      this.runs = known ? this.runs.map((run) => (run.id === event.run.id ? event.run : run)) : [event.run, ...others];
      const data = this.loaded.get(event.run.id);
      if (data) data.summary = event.run;
      return;
    }
    if (event.message.type === 'metrics') this.latestRow = { ...this.latestRow, [event.runId]: event.message.row };
    if (event.message.type === 'checkpoint' && this.loaded.get(event.runId)?.checkpointAsked)
      this.tell(`checkpoint at step ${formatSteps(event.message.step)} saved`, 'info');
    this.buffered.get(event.runId)?.push(event.message);
    this.loaded.get(event.runId)?.apply(event.message);
  }
}
