/**
 * One contiguous slice of a WorkerVecEnv's envs: a SyncVecEnv whose results are copied into the
 * slice's rows of the shared arrays. Every worker thread runs one, and the calling thread runs the
 * first slice itself (worker-vec-env.ts), so both sides answer the commands of worker-protocol.ts
 * with this same code. Auto-reset, final observations, episode statistics and snapshots are
 * SyncVecEnv's own.
 */
import type { EnvSnapshot } from './env.ts';
import type { EpisodeRecord, SyncVecEnv } from './vec-env.ts';
import { Command, type ResetRequest, type SharedArrays } from './worker-protocol.ts';

/** What a command is about besides its payload: Frame's env, CopyEnv's source and target (indices within the slice). */
export interface SliceTarget {
  env: number;
  target: number;
}

export class VecEnvSlice {
  /** This slice's rows of the shared arrays (the frame array is whole: one frame at a time). */
  private rows: SharedArrays | undefined;

  constructor(
    readonly envs: SyncVecEnv,
    /** Index of the slice's first env in the whole vector. */
    readonly start: number,
  ) {}

  /** Runs one command; returns the answer to hand back, if any. */
  run(command: number, payload: unknown, { env, target }: SliceTarget): EpisodeRecord[] | EnvSnapshot | undefined {
    switch (command) {
      case Command.Attach:
        this.rows = this.sliceRows(payload as SharedArrays);
        return undefined;
      case Command.Reset:
        this.attached().obs.set(this.envs.reset((payload as ResetRequest).seed));
        return undefined;
      case Command.Step:
        return this.step();
      case Command.Frame:
        this.envs.frame(env, this.attached().frame);
        return undefined;
      case Command.CopyEnv:
        this.envs.copyEnv(env, target);
        return undefined;
      case Command.SaveState:
        return this.envs.saveState();
      case Command.LoadState:
        this.envs.loadState(payload as EnvSnapshot);
        return undefined;
      default:
        throw new Error(`vec-env slice: unknown command ${command}`);
    }
  }

  private step(): EpisodeRecord[] | undefined {
    const out = this.attached(),
      envs = this.envs;
    const result = envs.step(out.actions);
    out.obs.set(result.obs);
    out.rewards.set(result.rewards);
    out.terminated.set(result.terminated);
    out.truncated.set(result.truncated);
    for (let i = 0; i < envs.numEnvs; i++) {
      const finalObs = result.finalObs[i];
      if (finalObs) out.finalObs.set(finalObs, i * envs.obsSize);
    }
    if (result.episodes.length === 0) return undefined;
    return result.episodes.map((episode) => ({ ...episode, envIndex: episode.envIndex + this.start }));
  }

  private sliceRows(shared: SharedArrays): SharedArrays {
    const start = this.start,
      end = start + this.envs.numEnvs,
      obsSize = this.envs.obsSize,
      actionSize = this.envs.actionSize;
    return {
      actions: shared.actions.subarray(start * actionSize, end * actionSize),
      obs: shared.obs.subarray(start * obsSize, end * obsSize),
      finalObs: shared.finalObs.subarray(start * obsSize, end * obsSize),
      rewards: shared.rewards.subarray(start, end),
      terminated: shared.terminated.subarray(start, end),
      truncated: shared.truncated.subarray(start, end),
      frame: shared.frame,
    };
  }

  private attached(): SharedArrays {
    if (!this.rows) throw new Error('vec-env slice: a command came before the shared arrays were attached');
    return this.rows;
  }
}
