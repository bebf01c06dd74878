/**
 * Where a sweep's trials train, behind one interface: local trainer processes (local-executor.ts)
 * or BullMQ jobs taken by `gaitlab worker`s on any machine (queue-executor.ts). Either way the
 * trial's run folder in the controller's runs folder is kept complete: metrics as they come,
 * checkpoints, and run.json's status at the end.
 */
import type { MetricsRow, RunHandle } from '../store/run-store.ts';
import type { RunStatus } from '../store/run-info.ts';

export interface TrialSegment {
  sweepId: string;
  /** The spec as stored in sweep.json: a worker validates it again before it trains. */
  spec: Record<string, unknown>;
  /** The trial's run folder in the controller's runs folder. */
  run: RunHandle;
  /** Train up to this env step, then checkpoint and stop; undefined: to the run's budget. */
  stopAtStep?: number;
}

export interface SegmentResult {
  /** 'stopped' at stopAtStep or by stop(); 'finished' at the run's budget. */
  status: RunStatus;
  step: number;
  error?: string;
}

export interface TrialExecutor {
  /** Trains one segment of a trial from the run's latest checkpoint (or from scratch). */
  train(segment: TrialSegment, onMetrics: (row: MetricsRow) => void): Promise<SegmentResult>;
  /** Ctrl-C: every training trial checkpoints and stops; train() then resolves 'stopped'. */
  stop(): void;
  close(): Promise<void>;
}
