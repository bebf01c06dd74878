/**
 * The runs folder (`runs/` by default): creates, opens and lists runs, one folder each
 * (see run-handle.ts for what a run folder holds). The store's entry point: the types a caller
 * needs are exported from here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { RunConfig } from '../config/run-config.ts';
import { fsyncDir, TEMP_PREFIX } from './atomic-write.ts';
import { describeFsError } from './fs-errors.ts';
import { RunHandle, runFolders } from './run-handle.ts';
import { SWEEPS_FOLDER } from './sweep-store.ts';
import { readRunInfo, writeRunInfo, type RunInfo } from './run-info.ts';

export { RunHandle, type MetricsRow, type RunEvent, type RunInfoPatch } from './run-handle.ts';
export { runInfoSchema, type RunInfo } from './run-info.ts';
export type { Checkpoint, LoadedCheckpoint } from './checkpoint.ts';
export type { SavedTrajectory, TrajectoryInfo } from './trajectory-file.ts';

export interface RunStoreOptions {
  /** Checkpoints kept per run: the latest ones by step (default 5), besides milestones (see checkpoint-retention.ts). */
  keepCheckpoints?: number;
}

export interface CreateRunOptions {
  name?: string;
  versions: RunInfo['versions'];
  /** For a fork: the run and checkpoint step it starts from. */
  parent?: RunInfo['parent'];
  /** For a sweep's trial: the sweep and the trial's index. */
  sweep?: RunInfo['sweep'];
  videoSchedule?: RunInfo['videoSchedule'];
}

/** A folder in the runs folder whose run.json cannot be used, and why. */
export interface BrokenRun {
  dir: string;
  problem: string;
}

export class RunStore {
  readonly root: string;
  private readonly keepCheckpoints: number;

  constructor(rootDir: string, options: RunStoreOptions = {}) {
    this.root = path.resolve(rootDir);
    this.keepCheckpoints = options.keepCheckpoints ?? 5;
    if (!Number.isInteger(this.keepCheckpoints) || this.keepCheckpoints < 1) {
      throw new Error(`keepCheckpoints must be a positive integer, got ${this.keepCheckpoints}`);
    }
  }

  /** Creates the runs folder if needed and proves it writable; the error names the folder and the OS reason. */
  ensureWritable(): void {
    fs.rmdirSync(this.makeTempDir('probe'));
  }

  /** A new run in status 'created'. Its folder is built under a temp name and renamed: it appears whole. */
  createRun(config: RunConfig, options: CreateRunOptions): RunHandle {
    const now = new Date();
    let id = newRunId(now, config);
    while (fs.existsSync(path.join(this.root, id))) id = newRunId(now, config);
    const dir = path.join(this.root, id);
    const temp = this.makeTempDir('run');
    try {
      for (const folder of Object.values(runFolders(temp))) fs.mkdirSync(folder);
      const info = writeRunInfo(temp, {
        id,
        name: options.name ?? id,
        status: 'created',
        config,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        versions: options.versions,
        parent: options.parent,
        sweep: options.sweep,
        videoSchedule: options.videoSchedule,
      });
      return this.publish(temp, dir, info);
    } catch (error) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * The run `info` describes, under its own id: opened (run.json replaced by `info`) when this
   * folder already has it, else created whole. A sweep's worker mirrors the controller's trial this way.
   */
  adoptRun(info: RunInfo): RunHandle {
    const dir = path.join(this.root, info.id);
    if (info.id !== path.basename(info.id) || info.id.startsWith('.')) throw new Error(`not a run id: "${info.id}"`);
    if (fs.existsSync(dir)) {
      const run = this.openRun(info.id);
      run.updateInfo(info);
      return run;
    }
    const temp = this.makeTempDir('run');
    try {
      for (const folder of Object.values(runFolders(temp))) fs.mkdirSync(folder);
      return this.publish(temp, dir, writeRunInfo(temp, info));
    } catch (error) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw error;
    }
  }

  private publish(temp: string, dir: string, info: RunInfo): RunHandle {
    fs.renameSync(temp, dir);
    fsyncDir(this.root);
    return new RunHandle(dir, info, this.keepCheckpoints);
  }

  /** A run by id (a folder in the runs folder) or by the path of its folder. */
  openRun(idOrPath: string): RunHandle {
    const isPath = path.isAbsolute(idOrPath) || idOrPath !== path.basename(idOrPath) || idOrPath.startsWith('.');
    const dir = isPath ? path.resolve(idOrPath) : path.join(this.root, idOrPath);
    if (!fs.existsSync(dir)) {
      throw new Error(
        isPath
          ? `no run folder at ${dir}`
          : `no run '${idOrPath}' in ${this.root} (looked for ${dir}); \`gaitlab runs --runs ${this.root}\` lists the runs there`,
      );
    }
    return new RunHandle(dir, readRunInfo(dir), this.keepCheckpoints);
  }

  /** Every readable run, newest first. A folder whose run.json is missing or invalid is skipped and reported. */
  listRuns(onBroken: (broken: BrokenRun) => void = warnBroken): RunInfo[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.root, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`cannot list the runs folder ${this.root}: ${describeFsError(error)}`);
    }
    const runs: RunInfo[] = [];
    for (const entry of entries) {
      // A `.tmp-*` folder is a run being created (or litter of a crash while it was): not a run yet.
      if (!entry.isDirectory() || entry.name.startsWith(TEMP_PREFIX) || entry.name === SWEEPS_FOLDER) continue;
      const dir = path.join(this.root, entry.name);
      try {
        runs.push(readRunInfo(dir));
      } catch (error) {
        onBroken({ dir, problem: (error as Error).message });
      }
    }
    return runs.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** A fresh folder inside the runs folder (created if needed); a failure names the folder and the OS reason. */
  private makeTempDir(purpose: string): string {
    try {
      fs.mkdirSync(this.root, { recursive: true });
      return fs.mkdtempSync(path.join(this.root, `${TEMP_PREFIX}${purpose}-`));
    } catch (error) {
      throw new Error(`cannot write to the runs folder ${this.root}: ${describeFsError(error)}`);
    }
  }
}

/** `20251124-153012-Hopper-v5-ppo-3fa2`: sorts by creation time (UTC), readable in a file browser. */
function newRunId(createdAt: Date, config: RunConfig): string {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const safe = (part: string) => part.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${stamp}-${safe(config.env)}-${safe(config.algo)}-${randomBytes(2).toString('hex')}`;
}

function warnBroken(broken: BrokenRun): void {
  console.warn(`gaitlab: skipping ${broken.dir}: ${broken.problem}`);
}
