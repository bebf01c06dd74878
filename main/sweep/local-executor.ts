/** The embedded executor: each trial segment is a local trainer process (the Lab's fork-launcher). */
import { forkTrainer } from '../lab/fork-launcher.ts';
import type { TrainerLauncher, TrainerProcess } from '../lab/trainer-launcher.ts';
import { settleTrainerRun } from '../lab/trainer-exit.ts';
import type { SegmentResult, TrialExecutor, TrialSegment } from './executor.ts';
import type { MetricsRow } from '../store/run-store.ts';

export class LocalExecutor implements TrialExecutor {
  private readonly trainers = new Set<TrainerProcess>();
  private stopping = false;

  constructor(private readonly launch: TrainerLauncher = forkTrainer) {}

  train(segment: TrialSegment, onMetrics: (row: MetricsRow) => void): Promise<SegmentResult> {
    const trainer = this.launch(segment.run.dir, { stopAtStep: segment.stopAtStep });
    this.trainers.add(trainer);
    return new Promise((resolve) => {
      trainer.onMessage((message) => {
        const m = message as { type?: string; row?: MetricsRow };
        // A stop sent before the trainer listened is lost: repeat it once it has started.
        if (m.type === 'started' && this.stopping) trainer.send({ type: 'stop' });
        if (m.type === 'metrics' && m.row) onMetrics(m.row);
      });
      trainer.onExit((exit) => {
        this.trainers.delete(trainer);
        const { status, step, error } = settleTrainerRun(segment.run.dir, exit);
        resolve({ status, step, error });
      });
    });
  }

  stop(): void {
    this.stopping = true;
    for (const trainer of this.trainers) trainer.send({ type: 'stop' });
  }

  async close(): Promise<void> {}
}
