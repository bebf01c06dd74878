/**
 * The Lab's sweeps (serve mode and the app): a SweepController per sweep in the Lab's process, its
 * trials on local trainer processes that the Lab starts and watches (lab/sweep-runner.ts), so a
 * trial streams to the UI like any run trained there.
 */
import { assertNoOtherWriter } from '../store/run-lock.ts';
import { SweepStore, type SweepInfo } from '../store/sweep-store.ts';
import type { SweepHost, SweepRunner, SweepRunnerFactory } from '../lab/sweep-runner.ts';
import { SweepController } from './controller.ts';
import { LocalExecutor } from './local-executor.ts';

export const labSweeps: SweepRunnerFactory = (host) => new LabSweeps(host);

class LabSweeps implements SweepRunner {
  private readonly running = new Map<string, { controller: SweepController; done: Promise<void> }>();

  constructor(private readonly host: SweepHost) {}

  start(spec: Record<string, unknown>): SweepInfo {
    return this.drive((listener) => SweepController.create(this.host.store, spec, new LocalExecutor(this.host.launcher), { queue: false, listener }));
  }

  resume(sweepId: string): SweepInfo {
    if (this.running.has(sweepId)) throw new Error(`sweep ${sweepId} is already training here`);
    const info = new SweepStore(this.host.store.root).open(sweepId).info;
    if (info.status === 'finished') throw new Error(`sweep ${sweepId} is finished: there is nothing left to train`);
    // A sweep still 'running' on disk is either interrupted or driven by another process (`gaitlab
    // sweep`): the trainers of the latter hold their runs' locks.
    for (const trial of info.trials) if (trial.status === 'running') assertNoOtherWriter(this.host.store.openRun(trial.run).dir);
    return this.drive((listener) => SweepController.resume(this.host.store, sweepId, new LocalExecutor(this.host.launcher), { queue: false, listener }));
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
    const entries = [...this.running.values()];
    for (const { controller } of entries) controller.stop();
    await Promise.all(entries.map((entry) => entry.done));
  }

  /** Creates (or reopens) the sweep's controller and runs it in the background; tells the host of every change. */
  private drive(open: (listener: { onTrial: () => void }) => SweepController): SweepInfo {
    // Trials report only once run() trains them, after `controller` is set.
    const controller = open({ onTrial: () => this.host.changed(controller.sweep.info) });
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
}
