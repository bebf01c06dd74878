/**
 * How the Lab drives sweeps without importing the sweep layer above it: each host (serve mode,
 * Electron) passes the Lab a factory from main/sweep (lab-sweeps.ts), and the Lab hands it what
 * trials need: its run store, a launcher whose trainers the Lab watches like those of the runs it
 * starts itself (their metrics and episodes stream to the UI, their commands work), and a way to
 * tell the UI that a sweep changed.
 */
import type { MetricsRow, RunStore } from '../store/run-store.ts';
import type { SweepInfo } from '../store/sweep-store.ts';
import type { TrainerLauncher } from './trainer-launcher.ts';

export interface SweepHost {
  store: RunStore;
  launcher: TrainerLauncher;
  /** The sweep's trials or status changed (sweep.json as the controller holds it). */
  changed(info: SweepInfo): void;
  /** A metrics row of a trial trained elsewhere (a queue's worker): the UI sees it as a row of the Lab's own trainers. */
  metrics(runId: string, row: MetricsRow): void;
}

/** Where a sweep's trials train. */
export interface SweepTrainOptions {
  /** A redis:// or rediss:// URL: `gaitlab worker`s started with it, on any machine, train them; absent: the Lab's own launcher. */
  queue?: string;
}

export interface SweepRunner {
  /** Validates the spec, connects to the queue if one is given, then creates the sweep and its trial runs and starts training them. */
  start(spec: Record<string, unknown>, options?: SweepTrainOptions): Promise<SweepInfo>;
  /** Goes on with a stopped or interrupted sweep. */
  resume(sweepId: string, options?: SweepTrainOptions): Promise<SweepInfo>;
  /** Its training trials checkpoint and stop; the sweep ends 'stopped'. */
  stop(sweepId: string): void;
  /** A controller of this runner drives the sweep now. */
  isRunning(sweepId: string): boolean;
  /** Stops every sweep; resolves once their controllers have returned. */
  close(): Promise<void>;
}

export type SweepRunnerFactory = (host: SweepHost) => SweepRunner;
