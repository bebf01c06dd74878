/**
 * A VecEnv whose envs run on worker threads: K workers, each a SyncVecEnv over a contiguous slice
 * of the N envs, stepped in parallel. Actions, observations, rewards and flags live in
 * SharedArrayBuffers and each step is a pair of Atomics.notify/wait per worker, so the hot path
 * posts no message and allocates nothing (beyond what SyncVecEnv allocates when an episode ends).
 * Trajectories, episode records and snapshots are bit for bit those of a SyncVecEnv with the same
 * envs and seed, so a checkpoint taken with any number of workers resumes with any other.
 *
 * Node-only (worker_threads), so sim/index.ts does not export it and browser bundles of sim never
 * see it: import it from this file. Envs are made in the workers by registry id, so only envs
 * that sim/index.ts registers can run here. The calling thread blocks in Atomics.wait while the
 * workers step; that is the point (the VecEnv contract is synchronous), but it means the thread's
 * event loop does not run during a step.
 */
import { receiveMessageOnPort, MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { EnvSnapshot, EnvSpec } from './env.ts';
import type { MakeEnvOptions } from './registry.ts';
import { FRAME_STRIDE, type Frame, type Scene } from './scene.ts';
import { actionSize } from './spaces.ts';
import type { EpisodeRecord, VecEnv, VecStepResult } from './vec-env.ts';
import { Command, Control, Reply, type ResetRequest, type SharedArrays, type WorkerHello, type WorkerInit } from './worker-protocol.ts';

export interface WorkerVecEnvOptions {
  /** Registry id of the env (see makeEnv). */
  envId: string;
  numEnvs: number;
  /** Worker threads, 1..numEnvs; env slices differ in size by at most one. */
  workers: number;
  make?: MakeEnvOptions;
}

/**
 * Workers start from this script rather than from the TypeScript file: Node 20 does not pass the
 * parent's tsx hooks (nor `--import tsx` in execArgv) on to a worker's entry module, so each worker
 * registers tsx itself, as bin/gaitlab.js does. If that or the entry's start-up fails, the error
 * is reported through the port and the control words, since the blocked main thread cannot see a
 * worker's 'error' event.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsxApi)
  .then((tsx) => { tsx.register(); return import(workerData.entry); })
  .catch((error) => {
    workerData.port.postMessage(error instanceof Error ? error : new Error(String(error)));
    const control = new Int32Array(workerData.control);
    Atomics.store(control, ${Control.Reply}, ${Reply.Error});
    Atomics.notify(control, ${Control.Reply});
  });
`;

interface EnvWorker {
  index: number;
  thread: Worker;
  port: MessagePort;
  control: Int32Array;
  /** The slice: envs start..start+count-1. */
  start: number;
  count: number;
}

export class WorkerVecEnv implements VecEnv {
  readonly spec: EnvSpec;
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly actionSize: number;
  readonly scene: Scene;
  private readonly envId: string;
  private readonly workers: EnvWorker[];
  /** The workers' answers to the last command, by worker (reused: steps allocate nothing). */
  private readonly answers: unknown[];
  private readonly shared: SharedArrays;
  private readonly result: VecStepResult;
  /** Why the env can no longer be used (closed, or a worker died), else null. */
  private unusable: string | null = null;

  /** Blocks until every worker has built its envs (tsx and Rapier start-up: about half a second). */
  constructor({ envId, numEnvs, workers, make = {} }: WorkerVecEnvOptions) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new Error(`numEnvs must be a positive integer, got ${numEnvs}`);
    if (!Number.isInteger(workers) || workers < 1 || workers > numEnvs) {
      throw new Error(`workers must be an integer from 1 to numEnvs (${numEnvs}), got ${workers}`);
    }
    this.envId = envId;
    this.numEnvs = numEnvs;
    this.workers = Array.from({ length: workers }, (_, k) => {
      const start = Math.floor((k * numEnvs) / workers);
      return startWorker(k, envId, make, start, Math.floor(((k + 1) * numEnvs) / workers) - start);
    });
    this.answers = new Array<unknown>(workers);
    let hello: WorkerHello;
    try {
      hello = this.awaitAll()[0] as WorkerHello;
    } catch (error) {
      this.close();
      throw error;
    }
    this.spec = hello.spec;
    this.scene = hello.scene;
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
    for (const worker of this.workers) send(worker, Command.Attach, this.shared);
    this.awaitAll();
    // The result reads the shared arrays in place: the workers write them only during step/reset.
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
    for (const worker of this.workers) send(worker, Command.Reset, { seed: seed === undefined ? undefined : seed + worker.start } satisfies ResetRequest);
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
    for (let k = 0; k < this.workers.length; k++) send(this.workers[k], Command.Step);
    const answers = this.awaitAll();
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
    const worker = this.owner(index);
    Atomics.store(worker.control, Control.Env, index - worker.start);
    send(worker, Command.Frame);
    this.answer(worker);
    const frame = out ?? new Float32Array(this.shared.frame.length);
    frame.set(this.shared.frame);
    return frame;
  }

  /** The snapshot a SyncVecEnv of these envs would save: the workers' slices joined in env order. */
  saveState(): EnvSnapshot {
    this.check();
    for (const worker of this.workers) send(worker, Command.SaveState);
    return joinSnapshots(this.awaitAll() as EnvSnapshot[]);
  }

  /** Loads a snapshot saved by a SyncVecEnv or a WorkerVecEnv of as many envs, whatever its number of workers. */
  loadState(snapshot: EnvSnapshot): void {
    this.check();
    const envs = snapshot.envs as EnvSnapshot[];
    if (envs.length !== this.numEnvs) throw new Error(`snapshot has ${envs.length} envs, this vector env has ${this.numEnvs}`);
    for (const worker of this.workers) send(worker, Command.LoadState, sliceSnapshot(snapshot, worker.start, worker.count, this.obsSize));
    this.awaitAll();
    this.shared.obs.set(snapshot.obs as number[]);
  }

  /**
   * SyncVecEnv.copyEnv. Within one worker's slice it is that worker's copyEnv; across workers the
   * two slices' snapshots carry the env over, which costs a save of both slices and a load of one.
   */
  copyEnv(from: number, to: number): void {
    this.check();
    for (const i of [from, to]) if (!Number.isInteger(i) || i < 0 || i >= this.numEnvs) throw new RangeError(`copyEnv: env index ${i} outside 0..${this.numEnvs - 1}`);
    if (from === to) return;
    const source = this.owner(from), target = this.owner(to);
    if (source === target) {
      Atomics.store(source.control, Control.Env, from - source.start);
      Atomics.store(source.control, Control.TargetEnv, to - source.start);
      send(source, Command.CopyEnv);
      this.answer(source);
    } else {
      send(source, Command.SaveState);
      const env = sliceSnapshot(this.answer(source) as EnvSnapshot, from - source.start, 1, this.obsSize);
      send(target, Command.SaveState);
      const slice = this.answer(target) as EnvSnapshot, j = to - target.start;
      const joined = joinSnapshots([sliceSnapshot(slice, 0, j, this.obsSize), env, sliceSnapshot(slice, j + 1, target.count - j - 1, this.obsSize)]);
      send(target, Command.LoadState, joined);
      this.answer(target);
    }
    const size = this.obsSize;
    this.shared.obs.copyWithin(to * size, from * size, (from + 1) * size);
  }

  /** Terminates the workers (their envs go with them). Safe to call again. */
  close(): void {
    this.unusable ??= 'closed';
    for (const { thread } of this.workers) void thread.terminate();
  }

  /** The worker whose slice holds env `index`. */
  private owner(index: number): EnvWorker {
    let k = 0;
    while (index >= this.workers[k].start + this.workers[k].count) k++;
    return this.workers[k];
  }

  private check(): void {
    if (this.unusable) throw new Error(`the ${this.envId} worker vector env is ${this.unusable}`);
  }

  /** Waits for every worker's answer to the command just sent; throws the first failure once all have answered. */
  private awaitAll(): unknown[] {
    let failure: unknown = null;
    for (let k = 0; k < this.workers.length; k++) {
      try {
        this.answers[k] = this.answer(this.workers[k]);
      } catch (error) {
        failure ??= error;
        this.answers[k] = undefined;
      }
    }
    if (failure) throw failure;
    return this.answers;
  }

  /** Waits for one worker's reply; returns what it posted, if anything. */
  private answer(worker: EnvWorker): unknown {
    const { control } = worker;
    while (Atomics.load(control, Control.Reply) === Reply.Pending) Atomics.wait(control, Control.Reply, Reply.Pending);
    const reply = Atomics.load(control, Control.Reply);
    if (reply === Reply.Done) return undefined;
    if (reply === Reply.Exited) {
      this.unusable = `broken: ${this.describe(worker)} exited`;
      this.close();
      throw new Error(`${this.describe(worker)} exited unexpectedly`);
    }
    const message = receiveMessageOnPort(worker.port)?.message;
    if (reply === Reply.Error) {
      const error = message as Error;
      throw new Error(`${this.describe(worker)}: ${error.message}`, { cause: error });
    }
    return message;
  }

  private describe(worker: EnvWorker): string {
    return `env worker ${worker.index} (${this.envId}, envs ${worker.start}-${worker.start + worker.count - 1})`;
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

function startWorker(index: number, envId: string, make: MakeEnvOptions, start: number, count: number): EnvWorker {
  const { port1, port2 } = new MessageChannel();
  const controlBuffer = new SharedArrayBuffer(Control.Stride * Int32Array.BYTES_PER_ELEMENT);
  const init: WorkerInit = {
    envId,
    make,
    start,
    count,
    control: controlBuffer,
    port: port2,
    tsxApi: import.meta.resolve('tsx/esm/api'),
    entry: new URL('./vec-env-worker.ts', import.meta.url).href,
  };
  const thread = new Worker(BOOTSTRAP, { eval: true, workerData: init, transferList: [port2] });
  // Workers never keep the process alive: one whose env was not closed ends with the process.
  thread.unref();
  return { index, thread, port: port1, control: new Int32Array(controlBuffer), start, count };
}

/** Posts the command's payload (if any) and wakes the worker; `answer` collects the reply. */
function send(worker: EnvWorker, command: Command, payload?: unknown): void {
  if (payload !== undefined) worker.port.postMessage(payload);
  Atomics.store(worker.control, Control.Reply, Reply.Pending);
  Atomics.store(worker.control, Control.Command, command);
  Atomics.notify(worker.control, Control.Command);
}
