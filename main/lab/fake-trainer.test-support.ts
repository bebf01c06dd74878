/**
 * Test helper: a TrainerLauncher whose processes the test drives by hand (messages, exit), so the
 * Lab's bookkeeping is tested without training anything.
 */
import type { TrainerCommand } from '../trainer/protocol.ts';
import type { TrainerExit, TrainerLauncher, TrainerProcess } from './trainer-launcher.ts';

export class FakeTrainer implements TrainerProcess {
  readonly commands: TrainerCommand[] = [];
  killed = false;
  private messageListener: (message: unknown) => void = () => {};
  private exitListener: (exit: TrainerExit) => void = () => {};

  constructor(
    readonly runDir: string,
    private readonly exitOnStop: boolean,
  ) {}

  send(command: TrainerCommand): void {
    this.commands.push(command);
    if (command.type === 'stop' && this.exitOnStop) queueMicrotask(() => this.exit());
  }
  onMessage(listener: (message: unknown) => void): void {
    this.messageListener = listener;
  }
  onExit(listener: (exit: TrainerExit) => void): void {
    this.exitListener = listener;
  }
  kill(): void {
    this.killed = true;
  }

  /** What the trainer would send. */
  emit(message: unknown): void {
    this.messageListener(message);
  }
  exit(exit: Partial<TrainerExit> = {}): void {
    this.exitListener({ code: 0, signal: null, stderrTail: '', ...exit });
  }
}

/** `exitOnStop`: each process exits as soon as it is told to stop (a well-behaved trainer, instantly). */
export function fakeLauncher(options: { exitOnStop?: boolean } = {}): { launcher: TrainerLauncher; started: FakeTrainer[] } {
  const started: FakeTrainer[] = [];
  return {
    started,
    launcher: (runDir) => {
      const trainer = new FakeTrainer(runDir, options.exitOnStop ?? false);
      started.push(trainer);
      return trainer;
    },
  };
}
