/**
 * The New-sweep form as text fields -> the spec sent to main, which checks it with the CLI's schema
 * (config/sweep-spec.ts) and names each mistake by its field path. Text that is not a number stays
 * text, so main reports it as such.
 */
import type { HparamField, Hparams, HparamValue, SweepTrainOptions } from '../../../main/lab/api.ts';

export const METHODS = ['grid', 'random', 'asha', 'pbt'] as const;
export type Method = (typeof METHODS)[number];

export interface ParameterRow {
  name: string;
  /** Listed values (comma-separated), or a range. */
  mode: 'values' | 'range';
  values: string;
  min: string;
  max: string;
  log: boolean;
}

export interface SweepForm {
  name: string;
  env: string;
  algo: string;
  method: Method;
  trials: string;
  concurrency: string;
  steps: string;
  metric: string;
  seeds: string;
  parameters: ParameterRow[];
  /** Fixed hyperparameters, `key=value` per line (like `--set`); a searched one is left out. */
  set: string;
  /** PBT: env steps between exploit rounds; ASHA: the first rung and the reduction factor (blank: defaults). */
  interval: string;
  gracePeriod: string;
  reductionFactor: string;
  /** A redis:// URL whose `gaitlab worker`s train the trials; blank: this machine. Never part of the spec (sweep.json). */
  queue: string;
}

/** A typed value: a number, true/false, null, else the text itself. */
export function parseValue(text: string): HparamValue {
  const trimmed = text.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed === 'null') return null;
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

const list = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
/** A number field: blank leaves it out (the spec's default), anything else goes as typed. */
const optional = (text: string) => (text.trim() === '' ? undefined : parseValue(text));

export function parseSetLines(text: string): Record<string, HparamValue | string> {
  const set: Record<string, HparamValue | string> = {};
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const at = line.indexOf('=');
    // A line without "=" is sent as it is: main names it as an unknown hyperparameter.
    if (at < 0) set[line] = '';
    else set[line.slice(0, at).trim()] = parseValue(line.slice(at + 1));
  }
  return set;
}

export function specOfForm(form: SweepForm, fields: readonly Pick<HparamField, 'name' | 'kind'>[]): Record<string, unknown> {
  const integer = new Set(fields.filter((f) => f.kind === 'integer').map((f) => f.name));
  const parameters = Object.fromEntries(
    form.parameters
      .filter((p) => p.name)
      .map((p) => [
        p.name,
        p.mode === 'values'
          ? { values: list(p.values).map(parseValue) }
          : { min: optional(p.min), max: optional(p.max), log: p.log, ...(integer.has(p.name) && { int: true }) },
      ]),
  );
  const set = Object.fromEntries(Object.entries(parseSetLines(form.set)).filter(([key]) => !(key in parameters)));
  const spec: Record<string, unknown> = {
    ...(form.name.trim() && { name: form.name.trim() }),
    env: form.env,
    algo: form.algo,
    method: form.method,
    steps: optional(form.steps),
    ...(form.method !== 'grid' && { trials: optional(form.trials) }),
    concurrency: optional(form.concurrency),
    metric: form.metric.trim() || undefined,
    seeds: list(form.seeds).map(parseValue),
    parameters,
    set,
  };
  if (form.method === 'pbt' && form.interval.trim()) spec.pbt = { interval: optional(form.interval) };
  if (form.method === 'asha' && (form.gracePeriod.trim() || form.reductionFactor.trim())) {
    spec.asha = { grace_period: optional(form.gracePeriod), reduction_factor: optional(form.reductionFactor) };
  }
  // JSON drops undefined on the way to main; dropping it here keeps the spec the same on every transport.
  return JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
}

/** Where the trials train: the queue's URL as typed (trimmed), else this machine. */
export function optionsOfForm(form: Pick<SweepForm, 'queue'>): SweepTrainOptions {
  const queue = form.queue.trim();
  return queue === '' ? {} : { queue };
}

/**
 * Starts or resumes a sweep where `options` say. On this machine a failure is the Lab's to tell
 * (`attempt`, a notice); with a queue, connecting to it is what may fail, and its message goes
 * under the queue's field instead.
 */
export async function trainWhere<T>(
  options: SweepTrainOptions,
  train: (options: SweepTrainOptions) => Promise<T>,
  attempt: (action: () => Promise<T>) => Promise<T | undefined>,
): Promise<{ result: T | undefined; queueError: string | null }> {
  if (options.queue === undefined) return { result: await attempt(() => train(options)), queueError: null };
  try {
    return { result: await train(options), queueError: null };
  } catch (error) {
    return { result: undefined, queueError: (error as Error).message };
  }
}

/** What a Start or Resume button says while it waits: a queue is connected to first. */
export function waitingLabel(options: SweepTrainOptions, local: string): string {
  return options.queue === undefined ? local : 'Connecting…';
}

export function emptyForm(env: string, algo: string): SweepForm {
  return {
    name: '',
    env,
    algo,
    method: 'random',
    trials: '4',
    concurrency: '2',
    steps: '50000',
    metric: 'return_mean',
    seeds: '1',
    parameters: [{ name: 'learning_rate', mode: 'range', values: '', min: '0.0001', max: '0.003', log: true }],
    set: '',
    interval: '',
    gracePeriod: '',
    reductionFactor: '',
    queue: '',
  };
}

/**
 * "Sweep this": a run's env, algorithm, budget and values in force, fixed; its learning rate
 * searched over a log range from a third to three times its value.
 */
export function formOfRun(run: { env: string; algo: string; totalSteps: number; seed: number; hparams: Hparams }): SweepForm {
  const form = emptyForm(run.env, run.algo);
  const lr = run.hparams.learning_rate;
  return {
    ...form,
    steps: String(run.totalSteps),
    seeds: String(run.seed),
    set: Object.entries(run.hparams)
      .map(([key, value]) => `${key}=${value === null ? 'null' : String(value)}`)
      .join('\n'),
    parameters:
      typeof lr === 'number'
        ? [
            {
              name: 'learning_rate',
              mode: 'range',
              values: '',
              min: String(Number((lr / 3).toPrecision(3))),
              max: String(Number((lr * 3).toPrecision(3))),
              log: true,
            },
          ]
        : form.parameters,
  };
}

/** The issues main reported for a field and the paths under it (`parameters.learning_rate` takes `.min` too). */
export function issuesAt(issues: readonly { field: string; message: string }[], path: string): string | undefined {
  const found = issues
    .filter((i) => i.field === path || i.field.startsWith(`${path}.`))
    .map((i) => (i.field === path ? i.message : `${i.field.slice(path.length + 1)}: ${i.message}`));
  return found.length > 0 ? found.join('; ') : undefined;
}
