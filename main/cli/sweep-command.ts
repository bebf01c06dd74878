/**
 * `gaitlab sweep SPEC.json | --resume ID`, `gaitlab sweeps`, `gaitlab sweep-status ID`: the sweep
 * controller in this process, its trials on local trainer processes or, with `--queue`, on the
 * `gaitlab worker`s that take them. Progress goes to stderr; `--json` ends stdout with one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RunStore } from '../store/run-store.ts';
import { SweepStore } from '../store/sweep-store.ts';
import { SweepController, sweepOutcome, type SweepListener } from '../sweep/controller.ts';
import type { TrialExecutor } from '../sweep/executor.ts';
import { LocalExecutor } from '../sweep/local-executor.ts';
import { QueueExecutor } from '../sweep/queue-executor.ts';
import { redactUrl } from '../sweep/queue.ts';

export interface SweepOptions {
  runs: string;
  queue?: string;
  resume?: string;
  json?: boolean;
}

export async function runSweep(specFile: string | undefined, options: SweepOptions): Promise<void> {
  if ((specFile === undefined) === (options.resume === undefined)) throw new Error('give a spec file (gaitlab sweep SPEC.json) or --resume ID, not both');
  const runs = new RunStore(path.resolve(options.runs));
  const input = specFile === undefined ? undefined : readSpecFile(specFile);
  const executor: TrialExecutor = options.queue ? await QueueExecutor.connect(options.queue, runs) : new LocalExecutor();
  const listener: SweepListener = { onTrial: (trial, what) => console.error(`trial ${trial.trial} (${trial.run}): ${what}`) };
  let controller: SweepController;
  try {
    const queue = options.queue !== undefined;
    controller =
      input === undefined
        ? SweepController.resume(runs, options.resume as string, executor, { queue, listener })
        : SweepController.create(runs, input, executor, { queue, listener });
  } catch (error) {
    await executor.close();
    throw error;
  }
  const { spec, sweep } = controller;
  const where = options.queue ? `queue ${redactUrl(options.queue)}` : `${spec.concurrency} at once`;
  console.error(`sweep ${sweep.info.id} (${sweep.dir}) · ${spec.method} · ${sweep.info.trials.length} trials of ${spec.algo} on ${spec.env} · ${where}`);
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    console.error('\nstopping: trials checkpoint and stop (Ctrl-C again to quit now); `gaitlab sweep --resume` goes on');
    controller.stop();
  };
  process.on('SIGINT', onSigint);
  try {
    const outcome = await controller.run();
    console.error(
      `${sweep.info.status}: ${outcome.finished}/${outcome.trials} finished, ${outcome.failed} failed; best ${outcome.best ? `${outcome.best.run} (${spec.metric} ${outcome.best.metric.toFixed(2)})` : '-'}`,
    );
    if (options.json) console.log(JSON.stringify(outcome));
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function readSpecFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the sweep spec ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`the sweep spec ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function listSweeps(options: { runs: string; json?: boolean }): void {
  const sweeps = new SweepStore(options.runs).list();
  if (options.json)
    return console.log(JSON.stringify(sweeps.map(sweepOutcome).map((o, i) => ({ ...o, status: sweeps[i].status, method: sweeps[i].spec.method }))));
  for (const s of sweeps) {
    const o = sweepOutcome(s);
    console.log(
      `${s.id.padEnd(44)} ${s.status.padEnd(9)} ${String(s.spec.method).padEnd(7)} ${o.finished}/${o.trials} finished${o.best ? `, best ${o.best.metric.toFixed(2)}` : ''}`,
    );
  }
}

export function showSweep(id: string, options: { runs: string; json?: boolean }): void {
  const sweep = new SweepStore(options.runs).open(id);
  const info = sweep.info;
  if (options.json) return console.log(JSON.stringify({ ...info, outcome: sweepOutcome(info), decisions: sweep.readDecisions() }));
  console.log(`${info.id} · ${info.status} · ${String(info.spec.method)} ${String(info.spec.algo)} on ${String(info.spec.env)}`);
  for (const t of info.trials) {
    const lineage = t.previousRuns.length > 0 ? ` (was ${t.previousRuns.join(' <- ')})` : '';
    console.log(
      `  #${String(t.trial).padEnd(3)} ${t.status.padEnd(13)} ${String(t.step).padStart(9)} steps  metric ${t.metric?.toFixed(2) ?? '-'}  ${JSON.stringify(t.hparams)}  ${t.run}${lineage}`,
    );
  }
  const best = sweepOutcome(info).best;
  if (best) console.log(`best: ${best.run} ${best.metric.toFixed(2)} ${JSON.stringify(best.hparams)}`);
}
