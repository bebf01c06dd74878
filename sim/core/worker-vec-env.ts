/**
 * A VecEnv whose N envs are stepped by K threads in parallel, each a SyncVecEnv over a contiguous
 * slice (vec-env-slice.ts): the calling thread steps the first slice itself while K-1 worker
 * threads step the others, so K threads on K cores keep every core busy and a step waits for one
 * wake-up less than with the caller idle. Actions, observations, rewards and flags live in
 * SharedArrayBuffers and each step is a pair of Atomics.notify/wait per worker, so the hot path
 * posts no message and allocates nothing (beyond what SyncVecEnv allocates when an episode ends).
 * Trajectories, episode records and snapshots are bit for bit those of a SyncVecEnv with the same
 * envs and seed, so a checkpoint taken with any number of workers resumes with any other.
 *
 * Node-only (worker_threads), so sim/index.ts does not export it and browser bundles of sim never
 * see it: import it from this file. Envs are made by registry id, so only envs that sim/index.ts
 * registers can run here, and the calling thread must have run initPhysics (as for a SyncVecEnv).
 * The calling thread steps and then blocks in Atomics.wait until the workers are done; that is the
 * point (the VecEnv contract is synchronous), but its event loop does not run during a step.
 */
import { pathToFileURL } from 'node:url';
import { receiveMessageOnPort, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { makeEnv } from '../index.ts';
import { engineEntry } from './engine-entry.ts';
import type { EnvSnapshot, EnvSpec } from './env.ts';
import type { MakeEnvOptions } from './registry.ts';
import { FRAME_STRIDE, type Frame, type Scene } from './scene.ts';
import { actionSize } from './spaces.ts';
import { VecEnvSlice } from './vec-env-slice.ts';
import { SyncVecEnv, type EpisodeRecord, type VecEnv, type VecStepResult } from './vec-env.ts';
import { Command, Control, Reply, type ResetRequest, type SharedArrays, type WorkerInit } from './worker-protocol.ts';

export interface WorkerVecEnvOptions {
  /** Registry id of the env (see makeEnv). */
  envId: string;
  numEnvs: number;
  /** Threads stepping the envs, 1..numEnvs: this one and workers - 1 worker threads; slices differ in size by at most one. */
  workers: number;
  make?: MakeEnvOptions;
}

/**
 * Workers start from this script rather than from their entry module: run from source, Node 20
 * does not pass the parent's tsx hooks (nor `--import tsx` in execArgv) on to a worker's entry
 * module, so each worker registers tsx itself, as bin/run-ts.js does (built, there is nothing to
 * register). If that or the entry's start-up fails, the error is reported through the port and the
 * control words, since the blocked main thread cannot see a worker's 'error' event.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(workerData.tsxApi ? import(workerData.tsxApi).then((tsx) => tsx.register()) : Promise.resolve())
  .then(() => import(workerData.entry))
  .catch((error) => {
    workerData.port.postMessage(error instanceof Error ? error : new Error(String(error)));
    const control = new Int32Array(workerData.control);
    Atomics.store(control, ${Control.Reply}, ${Reply.Error});
    Atomics.notify(control, ${Control.Reply});
  });
`;

const WORKER_ENTRY = engineEntry('sim/core/vec-env-worker.ts');

/** One slice's side of the protocol: `post` starts a command, `collect` returns its answer or throws its error. */
interface Slice {
  readonly start: number;
  readonly count: number;
  /** Who steps it, for messages. */
  readonly name: string;
  post(command: Command, payload?: unknown, env?: number, target?: number): void;
  collect(): unknown;
}

/** The first slice, run by the calling thread when collected: after the workers have been sent theirs. */
class CallerSlice implements Slice {
  static readonly NAME = 'calling thread';
  readonly name = CallerSlice.NAME;
  private command: Command = Command.None;
  private payload: unknown;
  private env = 0;
  private target = 0;

  constructor(private readonly slice: VecEnvSlice) {}

  get start(): number {
    return this.slice.start;
  }

  get count(): number {
    return this.slice.envs.numEnvs;
  }

  post(command: Command, payload?: unknown, env = 0, target = 0): void {
    this.command = command;
    this.payload = payload;
    this.env = env;
    this.target = target;
  }

  collect(): unknown {
    const command = this.command;
    this.command = Command.None;
    return command === Command.None ? undefined : this.slice.run(command, this.payload, { env: this.env, target: this.target });
  }
}

class WorkerSlice implements Slice {
  readonly name: string;
  /** Set when the thread ended during a command: the vector env is then unusable. */
  exited = false;
  private readonly thread: Worker;
  private readonly port: MessagePort;
  private readonly control: Int32Array;

  constructor(
    index: number,
    envId: string,
    make: MakeEnvOptions,
    readonly start: number,
    readonly count: number,
  ) {
    this.name = `worker ${index}`;
    const { port1, port2 } = new MessageChannel();
    const controlBuffer = new SharedArrayBuffer(Control.Stride * Int32Array.BYTES_PER_ELEMENT);
    const init: WorkerInit = {
      envId,
      make,
      start,
      count,
      control: controlBuffer,
      port: port2,
      tsxApi: WORKER_ENTRY.tsxApi,
      entry: pathToFileURL(WORKER_ENTRY.file).href,
    };
    this.thread = new Worker(BOOTSTRAP, { eval: true, workerData: init, transferList: [port2] });
    // Workers never keep the process alive: one whose env was not closed ends with the process.
    this.thread.unref();
    this.port = port1;
    this.control = new Int32Array(controlBuffer);
  }

  /** Posts the command's payload (if any) and wakes the worker. */
  post(command: Command, payload?: unknown, env = 0, target = 0): void {
    const control = this.control;
    if (payload !== undefined) this.port.postMessage(payload);
    Atomics.store(control, Control.Env, env);
    Atomics.store(control, Control.TargetEnv, target);
    Atomics.store(control, Control.Reply, Reply.Pending);
    Atomics.store(control, Control.Command, command);
    Atomics.notify(control, Control.Command);
  }

  /** Waits for the worker's reply; returns what it posted, if anything. */
  collect(): unknown {
    const control = this.control;
    while (Atomics.load(control, Control.Reply) === Reply.Pending) Atomics.wait(control, Control.Reply, Reply.Pending);
    const reply = Atomics.load(control, Control.Reply);
    if (reply === Reply.Done) return undefined;
    if (reply === Reply.Exited) {
      this.exited = true;
      throw new Error('exited unexpectedly');
    }
    const message = receiveMessageOnPort(this.port)?.message;
    if (reply === Reply.Error) throw message as Error;
    return message;
  }

  terminate(): void {
    void this.thread.terminate();
  }
}

export class WorkerVecEnv implements VecEnv {
  readonly spec: EnvSpec;
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly actionSize: number;
  readonly scene: Scene;
  private readonly envId: string;
  /** Slice 0 is the calling thread's, the rest are worker threads', in env order. */
  private readonly slices: Slice[];
  private readonly workers: WorkerSlice[];
  /** The slices' answers to the last command, by slice (reused: steps allocate nothing). */
  private readonly answers: unknown[];
  private readonly shared: SharedArrays;
  private readonly result: VecStepResult;
  /** Why the env can no longer be used (closed, or a worker died), else null. */
  private unusable: string | null = null;
  private closed = false;
  /** The calling thread's slice (unset only while its envs are being built). */
  private readonly caller: VecEnvSlice | undefined;

  /** Blocks until every worker has built its envs (tsx and Rapier start-up: about half a second). */
  constructor({ envId, numEnvs, workers, make = {} }: WorkerVecEnvOptions) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new Error(`numEnvs must be a positive integer, got ${numEnvs}`);
    if (!Number.isInteger(workers) || workers < 1 || workers > numEnvs) {
      throw new Error(`workers must be an integer from 1 to numEnvs (${numEnvs}), got ${workers}`);
    }
    this.envId = envId;
    this.numEnvs = numEnvs;
    const starts = Array.from({ length: workers + 1 }, (_, k) => Math.floor((k * numEnvs) / workers));
    this.workers = starts.slice(1, -1).map((start, k) => new WorkerSlice(k + 1, envId, make, start, starts[k + 2] - start));
    this.answers = new Array<unknown>(workers);
    let caller: VecEnvSlice;
    try {
      caller = new VecEnvSlice(new SyncVecEnv(starts[1], () => makeEnv(envId, make)), 0);
    } catch (error) {
      this.close();
      throw this.failure({ start: 0, count: starts[1], name: CallerSlice.NAME }, error);
    }
    this.caller = caller;
    this.slices = [new CallerSlice(caller), ...this.workers];
    try {
      this.awaitAll(); // the workers have built their envs
    } catch (error) {
      this.close();
      throw error;
    }
    this.spec = caller.envs.spec;
    this.scene = caller.envs.scene;
    this.obsSize = this.spec.observationSpace.size;
    this.actionSize = actionSize(this.spec.actionSpace);
    this.shared = {
      actions: new Float64Array(new SharedArrayBuffer(numEnvs * this.actionSize * 8)),
      obs: new Float64Array(new SharedArrayBuffer(numEnvs * this.obsSize * 8)),
      finalObs: new Float64Array(new SharedArrayBuffer(numEnvs * this.obsSize * 8)),
      rewards: new Float64Array(new SharedArrayBuffer(numEnvs * 8)),
      terminated: new Uint8Array(new SharedArrayBuffer(numEnvs)),
      truncated: new Uint8Array(new SharedArrayBuffer(numEnvs)),
      frame: new Float32Array(new SharedArrayBuffer(this.scene.bodies.length * FRAME_STRIDE * 4)),
    };
    for (const slice of this.slices) slice.post(Command.Attach, this.shared);
    this.awaitAll();
    // The result reads the shared arrays in place: the slices write them only during step/reset.
    this.result = {
      obs: this.shared.obs,
      rewards: this.shared.rewards,
      terminated: this.shared.terminated,
      truncated: this.shared.truncated,
      finalObs: new Array<Float64Array | null>(numEnvs).fill(null),
      episodes: [],
    };
  }

  reset(seed?: number): Float64Array {
    this.check();
    for (const slice of this.slices) slice.post(Command.Reset, { seed: seed === undefined ? undefined : seed + slice.start } satisfies ResetRequest);
    this.awaitAll();
    this.result.finalObs.fill(null);
    this.result.episodes.length = 0;
    return this.result.obs;
  }

  step(actions: Float64Array): VecStepResult {
    this.check();
    if (actions.length !== this.numEnvs * this.actionSize) {
      throw new Error(`step: expected ${this.numEnvs} x ${this.actionSize} actions, got ${actions.length}`);
    }
    this.shared.actions.set(actions);
    for (const slice of this.slices) slice.post(Command.Step);
    const answers = this.awaitAll(); // the calling thread steps its slice first, beside the workers
    const r = this.result;
    r.episodes.length = 0;
    // Slices are in env order, so the episodes are listed as SyncVecEnv lists them.
    for (let k = 0; k < answers.length; k++) {
      const episodes = answers[k] as EpisodeRecord[] | undefined;
      if (episodes) r.episodes.push(...episodes);
    }
    const obsSize = this.obsSize;
    for (let i = 0; i < this.numEnvs; i++) {
      // A copy, as SyncVecEnv gives: the shared row is overwritten at the env's next episode end.
      r.finalObs[i] = r.terminated[i] || r.truncated[i] ? this.shared.finalObs.slice(i * obsSize, (i + 1) * obsSize) : null;
    }
    return r;
  }

  frame(index: number, out?: Frame): Frame {
    this.check();
    if (!Number.isInteger(index) || index < 0 || index >= this.numEnvs) throw new RangeError(`frame: no env ${index} in a vector of ${this.numEnvs}`);
    const slice = this.owner(index);
    slice.post(Command.Frame, undefined, index - slice.start);
    this.collect(slice);
    const frame = out ?? new Float32Array(this.shared.frame.length);
    frame.set(this.shared.frame);
    return frame;
  }

  /** The snapshot a SyncVecEnv of these envs would save: the slices joined in env order. */
  saveState(): EnvSnapshot {
    this.check();
    for (const slice of this.slices) slice.post(Command.SaveState);
    return joinSnapshots(this.awaitAll() as EnvSnapshot[]);
  }

  /** Loads a snapshot saved by a SyncVecEnv or a WorkerVecEnv of as many envs, whatever its number of workers. */
  loadState(snapshot: EnvSnapshot): void {
    this.check();
    const envs = snapshot.envs as EnvSnapshot[];
    if (envs.length !== this.numEnvs) throw new Error(`snapshot has ${envs.length} envs, this vector env has ${this.numEnvs}`);
    for (const slice of this.slices) slice.post(Command.LoadState, sliceSnapshot(snapshot, slice.start, slice.count, this.obsSize));
    this.awaitAll();
    this.shared.obs.set(snapshot.obs as number[]);
  }

  /**
   * SyncVecEnv.copyEnv. Within one slice it is that slice's copyEnv; across slices their
   * snapshots carry the env over, which costs a save of both slices and a load of one.
   */
  copyEnv(from: number, to: number): void {
    this.check();
    for (const i of [from, to])
      if (!Number.isInteger(i) || i < 0 || i >= this.numEnvs) throw new RangeError(`copyEnv: env index ${i} outside 0..${this.numEnvs - 1}`);
    if (from === to) return;
    const source = this.owner(from),
      target = this.owner(to);
    if (source === target) {
      source.post(Command.CopyEnv, undefined, from - source.start, to - source.start);
      this.collect(source);
    } else {
      source.post(Command.SaveState);
      const env = sliceSnapshot(this.collect(source) as EnvSnapshot, from - source.start, 1, this.obsSize);
      target.post(Command.SaveState);
      const slice = this.collect(target) as EnvSnapshot,
        j = to - target.start;
      const joined = joinSnapshots([sliceSnapshot(slice, 0, j, this.obsSize), env, sliceSnapshot(slice, j + 1, target.count - j - 1, this.obsSize)]);
      target.post(Command.LoadState, joined);
      this.collect(target);
    }
    const size = this.obsSize;
    this.shared.obs.copyWithin(to * size, from * size, (from + 1) * size);
  }

  /** Frees the calling thread's envs and terminates the workers (their envs go with them). Safe to call again. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unusable ??= 'closed';
    for (const worker of this.workers) worker.terminate();
    this.caller?.envs.close();
  }

  /** The slice that holds env `index`. */
  private owner(index: number): Slice {
    let k = 0;
    while (index >= this.slices[k].start + this.slices[k].count) k++;
    return this.slices[k];
  }

  private check(): void {
    if (this.unusable) throw new Error(`the ${this.envId} worker vector env is ${this.unusable}`);
  }

  /** Collects every slice's answer to the command just posted; throws the first failure once all have answered. */
  private awaitAll(): unknown[] {
    let failure: unknown = null;
    for (let k = 0; k < this.slices.length; k++) {
      try {
        this.answers[k] = this.collect(this.slices[k]);
      } catch (error) {
        failure ??= error;
        this.answers[k] = undefined;
      }
    }
    if (failure) throw failure;
    return this.answers;
  }

  /** One slice's answer; its failure as an Error naming the slice (a worker that exited breaks the vector env). */
  private collect(slice: Slice): unknown {
    try {
      return slice.collect();
    } catch (error) {
      if (slice instanceof WorkerSlice && slice.exited) {
        this.unusable = `broken: its ${slice.name} exited`;
        this.close();
      }
      throw this.failure(slice, error);
    }
  }

  private failure(slice: Pick<Slice, 'start' | 'count' | 'name'>, error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`envs ${slice.start}-${slice.start + slice.count - 1} of ${this.envId} (${slice.name}): ${message}`, { cause: error });
  }
}

/** SyncVecEnv's snapshot holds these arrays, with one entry per env (obsSize entries in `obs`). */
const PER_ENV_ARRAYS = ['envs', 'obs', 'episodeReturns', 'episodeLengths', 'episodeTerms'] as const;

/** The snapshot of consecutive slices of envs, in order. */
function joinSnapshots(slices: EnvSnapshot[]): EnvSnapshot {
  return Object.fromEntries(PER_ENV_ARRAYS.map((key) => [key, slices.flatMap((slice) => slice[key] as unknown[])]));
}

/** The snapshot of envs start..start+count-1 of a vector's snapshot. */
function sliceSnapshot(snapshot: EnvSnapshot, start: number, count: number, obsSize: number): EnvSnapshot {
  return Object.fromEntries(
    PER_ENV_ARRAYS.map((key) => {
      const width = key === 'obs' ? obsSize : 1;
      return [key, (snapshot[key] as unknown[]).slice(start * width, (start + count) * width)];
    }),
  );
}
