/**
 * Test helper, a stand-in for the app: `node --import tsx orphaning-parent.test-support.ts <runDir>`
 * starts the run's trainer through the Lab's own launcher and prints each message's type and step
 * as a JSON line, until someone kills it (and so orphans the trainer).
 */
import { forkTrainer } from './fork-launcher.ts';

const trainer = forkTrainer(process.argv[2]);
trainer.onMessage((raw) => {
  const message = raw as { type: string; step?: number; row?: { step?: number } };
  process.stdout.write(`${JSON.stringify({ type: message.type, step: message.step ?? message.row?.step })}\n`);
});
