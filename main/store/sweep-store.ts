/**
 * Sweeps on disk, beside the runs they train (`runs/sweeps/<id>/`):
 *   sweep.json    the spec, the sweep's status and every trial (its current run, values, status)
 *   trials.jsonl  the controller's decisions, append-only: started, promoted, stopped early,
 *                 exploited (from which run, at which step, with which new values), finished...
 * A trial's training lives in ordinary run folders whose run.json links back (`sweep`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hparamValueSchema } from '../config/run-config.ts';
import { fsyncDir, TEMP_PREFIX, writeFileAtomic } from './atomic-write.ts';
import { describeFsError } from './fs-errors.ts';
import { readJsonFile } from './json-file.ts';
import { JsonlLog } from './jsonl.ts';

/** The folder inside the runs folder that holds the sweeps (not a run). */
export const SWEEPS_FOLDER = 'sweeps';

export const SWEEP_STATUSES = ['running', 'stopped', 'finished'] as const;
export const TRIAL_STATUSES = ['pending', 'running', 'waiting', 'finished', 'stopped', 'stopped-early', 'failed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

const trialSchema = z
  .object({
    trial: z.number().int().min(0),
    /** The run that trains this trial now (PBT: the latest fork). */
    run: z.string().min(1),
    /** Earlier runs of this trial, oldest first (PBT replaces a trial's run when it exploits). */
    previousRuns: z.array(z.string()).default([]),
    /** The searched values (fixed ones are in the run's config). */
    hparams: z.record(z.string(), hparamValueSchema),
    seed: z.number().int().min(0),
    status: z.enum(TRIAL_STATUSES),
    /** Env steps trained so far. */
    step: z.number().int().min(0),
    /** The step the trial trains to before the controller decides again (ASHA's rung, PBT's interval). */
    target: z.number().int().min(0),
    /** ASHA: the metric at each rung reached, lowest first. */
    rungMetrics: z.array(z.number().nullable()).optional(),
    metric: z.number().nullable(),
    error: z.string().optional(),
  })
  .strict();
export type TrialRecord = z.infer<typeof trialSchema>;

export const sweepInfoSchema = z
  .object({
    id: z.string().min(1),
    /** The spec as given (it validated; the controller and each worker parse it again). */
    spec: z.record(z.string(), z.unknown()),
    status: z.enum(SWEEP_STATUSES),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** Where trials run: "local", or "queue" (the queue's address is never stored: it may hold a password). */
    executor: z.enum(['local', 'queue']),
    trials: z.array(trialSchema),
    /** PBT: exploit rounds done. */
    round: z.number().int().min(0).default(0),
  })
  .strict();
export type SweepInfo = z.infer<typeof sweepInfoSchema>;

export const sweepDecisionSchema = z.looseObject({
  type: z.enum(['started', 'resumed', 'promoted', 'stopped-early', 'exploited', 'finished', 'stopped', 'failed']),
  trial: z.number().int().min(0),
  run: z.string(),
  step: z.number().int().min(0),
  time: z.iso.datetime(),
});
export type SweepDecision = z.infer<typeof sweepDecisionSchema>;
/** A decision as the controller makes it (the time is added when it is logged). */
export interface SweepDecisionInput {
  type: SweepDecision['type'];
  trial: number;
  run: string;
  step: number;
  [detail: string]: unknown;
}

export class SweepHandle {
  private readonly decisions: JsonlLog<typeof sweepDecisionSchema>;

  constructor(
    readonly dir: string,
    private current: SweepInfo,
  ) {
    this.decisions = new JsonlLog(path.join(dir, 'trials.jsonl'), sweepDecisionSchema);
  }

  get info(): SweepInfo {
    return this.current;
  }

  /** Rewrites sweep.json atomically with `patch` merged. */
  update(patch: Partial<Omit<SweepInfo, 'id' | 'createdAt' | 'updatedAt'>>): void {
    this.current = writeSweepInfo(this.dir, { ...this.current, ...patch, updatedAt: new Date().toISOString() });
  }

  decide(decision: SweepDecisionInput): void {
    this.decisions.append({ ...decision, time: new Date().toISOString() });
  }

  readDecisions(): SweepDecision[] {
    return this.decisions.read();
  }
}

export class SweepStore {
  readonly root: string;

  /** `runsRoot`: the runs folder; sweeps live in its `sweeps/` folder. */
  constructor(runsRoot: string) {
    this.root = path.join(path.resolve(runsRoot), SWEEPS_FOLDER);
  }

  create(spec: Record<string, unknown>, executor: SweepInfo['executor'], trials: TrialRecord[]): SweepHandle {
    const now = new Date();
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const safe = (part: unknown) => String(part).replace(/[^A-Za-z0-9._-]+/g, '_');
    let id: string;
    do id = `${stamp}-${safe(spec.method)}-${safe(spec.env)}-${randomBytes(2).toString('hex')}`;
    while (fs.existsSync(path.join(this.root, id)));
    let temp: string;
    try {
      fs.mkdirSync(this.root, { recursive: true });
      temp = fs.mkdtempSync(path.join(this.root, `${TEMP_PREFIX}sweep-`));
    } catch (error) {
      throw new Error(`cannot write to the sweeps folder ${this.root}: ${describeFsError(error)}`);
    }
    try {
      const info = writeSweepInfo(temp, {
        id,
        spec,
        status: 'running',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        executor,
        trials,
        round: 0,
      });
      const dir = path.join(this.root, id);
      fs.renameSync(temp, dir);
      fsyncDir(this.root);
      return new SweepHandle(dir, info);
    } catch (error) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw error;
    }
  }

  open(id: string): SweepHandle {
    const dir = path.join(this.root, id);
    if (id !== path.basename(id) || !fs.existsSync(dir)) {
      throw new Error(`no sweep '${id}' in ${this.root}; \`gaitlab sweeps\` lists the sweeps there`);
    }
    return new SweepHandle(dir, readJsonFile(path.join(dir, 'sweep.json'), sweepInfoSchema));
  }

  /** Every readable sweep, newest first; an unreadable one is reported and skipped. */
  list(onBroken: (dir: string, problem: string) => void = (dir, problem) => console.warn(`gaitlab: skipping ${dir}: ${problem}`)): SweepInfo[] {
    if (!fs.existsSync(this.root)) return [];
    const sweeps: SweepInfo[] = [];
    for (const entry of fs.readdirSync(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(TEMP_PREFIX)) continue;
      try {
        sweeps.push(this.open(entry.name).info);
      } catch (error) {
        onBroken(path.join(this.root, entry.name), (error as Error).message);
      }
    }
    return sweeps.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }
}

/**
 * The sweep's best trial by its metric (the spec's mode): among the finished trials when any has
 * finished, else among all that have a metric so far; null when none has one.
 */
export function bestTrial(info: SweepInfo): TrialRecord | null {
  const sign = (info.spec as { mode?: string }).mode === 'min' ? -1 : 1;
  const finished = info.trials.filter((t) => t.status === 'finished');
  const candidates = (finished.length > 0 ? finished : info.trials).filter((t) => t.metric !== null);
  return candidates.reduce<TrialRecord | null>((best, t) => (best === null || sign * (t.metric as number) > sign * (best.metric as number) ? t : best), null);
}

function writeSweepInfo(dir: string, info: SweepInfo): SweepInfo {
  const file = path.join(dir, 'sweep.json');
  const result = sweepInfoSchema.safeParse(info);
  if (!result.success) throw new Error(`refusing to write an invalid ${file}:\n${z.prettifyError(result.error)}`);
  writeFileAtomic(file, `${JSON.stringify(result.data, null, 2)}\n`);
  return result.data;
}
