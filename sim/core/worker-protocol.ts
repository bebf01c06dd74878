/**
 * What the main thread and the worker threads of a WorkerVecEnv share: the layout of each worker's
 * control words and the messages of the rare commands. Node-only, like the two modules that use it.
 *
 * One command at a time per worker. The main thread posts the command's payload (if any) on the
 * worker's port, sets `Reply` to Pending and stores the command; the worker wakes on `Command`,
 * does the work, posts its answer (if any) and stores the reply code; the main thread wakes on
 * `Reply` and reads the answer with receiveMessageOnPort. Steps and frames carry their data in the
 * shared arrays only, so the hot path posts no message and allocates nothing.
 */
import type { MakeEnvOptions } from './registry.ts';
import type { MessagePort } from 'node:worker_threads';

/** Indices into a worker's control Int32Array. */
export const Control = {
  Command: 0,
  Reply: 1,
  /** The env (index within the worker's slice) a command is about: Frame's env, CopyEnv's source. */
  Env: 2,
  /** CopyEnv's target (index within the slice). */
  TargetEnv: 3,
  /** Slots per worker: 16 int32 = 64 bytes, so two workers' words never share a cache line. */
  Stride: 16,
} as const;

export const Command = {
  None: 0,
  /** Payload SharedArrays: start using the shared arrays. */
  Attach: 1,
  /** Payload ResetRequest; writes the first observations. */
  Reset: 2,
  /** Reads the actions, writes obs, rewards, flags and final observations; answers EpisodeRecord[] when episodes ended. */
  Step: 3,
  /** Writes the frame of env Control.Env. */
  Frame: 4,
  /** Answers the slice's SyncVecEnv snapshot. */
  SaveState: 5,
  /** Payload: the slice's SyncVecEnv snapshot. */
  LoadState: 6,
  /** Copies env Control.Env into env Control.TargetEnv (SyncVecEnv.copyEnv). */
  CopyEnv: 7,
} as const;
export type Command = (typeof Command)[keyof typeof Command];

/** Whether the command comes with a payload on the port (the others carry theirs in the control words and shared arrays). */
export function carriesPayload(command: number): boolean {
  return command === Command.Attach || command === Command.Reset || command === Command.LoadState;
}

export const Reply = {
  Pending: 0,
  /** Done, nothing posted. */
  Done: 1,
  /** Done, the answer is on the port. */
  Message: 2,
  /** Failed, the Error is on the port. */
  Error: 3,
  /** The thread ended during the command. */
  Exited: 4,
} as const;

/** workerData of a worker: its slice of envs and its side of the channel. */
export interface WorkerInit {
  envId: string;
  make: MakeEnvOptions;
  /** Index of the slice's first env in the vector. */
  start: number;
  count: number;
  /** SharedArrayBuffer of Control.Stride int32. */
  control: SharedArrayBuffer;
  port: MessagePort;
  /** For the bootstrap script: the URL of tsx's ESM API to register first (null when built), and of the worker's entry module. */
  tsxApi: string | null;
  entry: string;
}

/** Whole-vector arrays; each worker reads and writes only the rows of its slice. */
export interface SharedArrays {
  /** [numEnvs * actionSize] */
  actions: Float64Array;
  /** [numEnvs * obsSize] */
  obs: Float64Array;
  /** [numEnvs * obsSize], rows valid where the env's episode ended at the last step. */
  finalObs: Float64Array;
  /** [numEnvs] */
  rewards: Float64Array;
  /** [numEnvs] */
  terminated: Uint8Array;
  /** [numEnvs] */
  truncated: Uint8Array;
  /** [bodies * FRAME_STRIDE]: one frame, written by the worker that owns the env asked for. */
  frame: Float32Array;
}

export interface ResetRequest {
  /** Seed of the slice's first env; undefined continues each env's generator. */
  seed?: number;
}
