/**
 * Test fixture for run-store.kill.test.ts: a stand-in trainer that resumes a run from its latest
 * checkpoint and then appends metrics and writes checkpoints as fast as it can, until it is killed.
 * Usage: node --import tsx kill-writer.test-support.ts <runs-dir> <run-id>
 */
import { RunStore } from './run-store.ts';

const [root, runId] = process.argv.slice(2);
const run = new RunStore(root, { keepCheckpoints: 3 }).openRun(runId);
let step = run.listCheckpoints().at(-1) ?? 0;
if (step > 0) run.loadCheckpoint(step);
while (true) {
  step++;
  run.appendMetrics({ step, loss: 1 / step });
  // Big enough that a kill often lands inside a checkpoint write.
  run.writeCheckpoint(step, { state: { step }, arrays: { weights: new Float32Array(1 << 20).fill(step) } });
  process.stdout.write(`${step}\n`);
}
