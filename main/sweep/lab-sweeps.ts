/**
 * The Lab's sweeps (serve mode and the app): a SweepController per sweep in the Lab's process, its
 * trials on local trainer processes that the Lab starts and watches (lab/sweep-runner.ts), so a
 * trial streams to the UI like any run trained there; or, given a queue, on the `gaitlab worker`s
 * that take them, whose reports the QueueExecutor writes into the Lab's runs folder.
 */
import { parseSweepSpec } from '../config/sweep-spec.ts';
import { assertNoOtherWriter } from '../store/run-lock.ts';
import { SweepStore, type SweepInfo } from '../store/sweep-store.ts';
import type { SweepHost, SweepRunner, SweepRunnerFactory, SweepTrainOptions } from '../lab/sweep-runner.ts';
import { SweepController, type SweepListener } from './controller.ts';
import type { TrialExecutor } from './executor.ts';
import { LocalExecutor } from './local-executor.ts';
import { QueueExecutor } from './queue-executor.ts';

export const labSweeps: SweepRunnerFactory = (host) => new LabSweeps(host);

class LabSweeps implements SweepRunner {
  private readonly running = new Map<string, { controller: SweepController; done: Promise<void> }>();
  /** Sweeps whose resume waits for its queue to answer: a second resume is refused meanwhile. */
  private readonly connecting = new Set<string>();
  private closed = false;

  constructor(private readonly host: SweepHost) {}

  async start(spec: Record<string, unknown>, options: SweepTrainOptions = {}): Promise<SweepInfo> {
    // A bad spec is told before the queue is asked (creating the sweep checks it again).
    if (options.queue !== undefined) parseSweepSpec(spec, { concurrency: Number.MAX_SAFE_INTEGER });
    const executor = await this.executor(options);
    return this.drive(executor, (listener) => SweepController.create(this.host.store, spec, executor, { queue: options.queue !== undefined, listener }));
  }

  async resume(sweepId: string, options: SweepTrainOptions = {}): Promise<SweepInfo> {
    if (this.running.has(sweepId) || this.connecting.has(sweepId)) throw new Error(`sweep ${sweepId} is already training here`);
    const info = new SweepStore(this.host.store.root).open(sweepId).info;
    if (info.status === 'finished') throw new Error(`sweep ${sweepId} is finished: there is nothing left to train`);
    // A sweep still 'running' on disk is either interrupted or driven by another process (`gaitlab
    // sweep`): the trainers of the latter hold their runs' locks.
    for (const trial of info.trials) if (trial.status === 'running') assertNoOtherWriter(this.host.store.openRun(trial.run).dir);
    this.connecting.add(sweepId);
    let executor: TrialExecutor;
    try {
      executor = await this.executor(options);
    } finally {
      this.connecting.delete(sweepId);
    }
    return this.drive(executor, (listener) => SweepController.resume(this.host.store, sweepId, executor, { queue: options.queue !== undefined, listener }));
  }

  stop(sweepId: string): void {
    const entry = this.running.get(sweepId);
    if (!entry) throw new Error(`sweep ${sweepId} is not training in this lab`);
    entry.controller.stop();
  }

  isRunning(sweepId: string): boolean {
    return this.running.has(sweepId);
  }

  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.running.values()];
    for (const { controller } of entries) controller.stop();
    await Promise.all(entries.map((entry) => entry.done));
  }

  /** The Lab's launcher, or the queue's workers once it answers (within connectRedis's timeout; the error masks its password). */
  private async executor(options: SweepTrainOptions): Promise<TrialExecutor> {
    if (options.queue === undefined) return new LocalExecutor(this.host.launcher);
    const executor = await QueueExecutor.connect(options.queue, this.host.store);
    if (this.closed) {
      await executor.close();
      throw new Error('the lab is closing: no sweep starts now');
    }
    return executor;
  }

  /** Creates (or reopens) the sweep's controller and runs it in the background; tells the host of every change. */
  private async drive(executor: TrialExecutor, open: (listener: SweepListener) => SweepController): Promise<SweepInfo> {
    let controller: SweepController;
    try {
      // Trials report only once run() trains them, after `controller` is set.
      controller = open(this.listener(() => controller, executor));
    } catch (error) {
      await executor.close();
      throw error;
    }
    const id = controller.sweep.info.id;
    const entry = { controller, done: Promise.resolve() };
    this.running.set(id, entry);
    const sweep = controller.sweep;
    entry.done = controller
      .run()
      .then(
        () => {},
        (error: unknown) => console.warn(`gaitlab: sweep ${id} stopped on an error: ${(error as Error).message}`),
      )
      .finally(() => {
        this.running.delete(id);
        this.host.changed(sweep.info);
      });
    this.host.changed(sweep.info);
    return sweep.info;
  }

  /**
   * Every decision tells the host. A queued trial trains elsewhere, so its rows are passed on as the
   * Lab's own trainers' rows are; and its segment's first row tells the host the sweep changed: the
   * worker that took it has written its start (machine) into the run by then.
   */
  private listener(controller: () => SweepController, executor: TrialExecutor): SweepListener {
    const changed = () => this.host.changed(controller().sweep.info);
    if (!(executor instanceof QueueExecutor)) return { onTrial: changed };
    const reported = new Set<string>();
    return {
      onTrial: (trial) => {
        reported.delete(trial.run);
        changed();
      },
      onMetrics: (trial, row) => {
        this.host.metrics(trial.run, row);
        if (reported.has(trial.run)) return;
        reported.add(trial.run);
        changed();
      },
    };
  }
}
