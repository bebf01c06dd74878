/** The live progress line of `gaitlab train`: steps, SPS, mean return, ETA (cli-progress). */
import cliProgress from 'cli-progress';

export interface ProgressUpdate {
  step: number;
  sps: number;
  returnMean: number | null;
}

export class TrainingProgress {
  private readonly bar: cliProgress.SingleBar;

  constructor(totalSteps: number, startStep: number, label: string) {
    this.bar = new cliProgress.SingleBar(
      {
        format: `${label} {bar} {percentage}% | {value}/{total} steps | {sps} SPS | return {ret} | ETA {eta_formatted}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
        // Off a terminal (CI, pipes) print a plain line every few seconds instead of redrawing.
        noTTYOutput: true,
        notTTYSchedule: 5000,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(totalSteps, startStep, { sps: '-', ret: '-' });
  }

  update(progress: ProgressUpdate): void {
    this.bar.update(progress.step, {
      sps: Math.round(progress.sps),
      ret: progress.returnMean === null ? '-' : progress.returnMean.toFixed(1),
    });
  }

  stop(): void {
    this.bar.stop();
  }
}
