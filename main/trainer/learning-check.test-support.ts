/**
 * The short learning check every algorithm's test runs: a seeded training run on a classic env with
 * the trainer's own loop (env stack, rollout and update, or replay and gradient steps), comparing the
 * returns of the first and last training episodes. Deterministic in the seed, so the margins in the
 * tests are exact, not statistical. Sized to run in seconds on a 2-core machine: it shows that the
 * update learns, not how well (BENCHMARKS.md is for that). The deterministic policy's return on
 * the same evaluation episodes (same seeds, so the same start states) before and after is reported.
 */
import { expect } from 'vitest';
import { Rng } from '../../sim/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { createTrainingLoop } from './training-loop.ts';
import { evaluatePolicy } from './evaluate.ts';
import { getAlgorithm, parseHparams } from '../algos/index.ts';

export interface LearningCheckOptions {
  algo: string;
  /** On top of the algorithm's defaults. */
  hparams: Record<string, unknown>;
  totalSteps: number;
  envId?: string;
  seed?: number;
  evalEpisodes?: number;
}

export interface LearningCheckResult {
  /** Mean deterministic return on the evaluation episodes, before and after training. */
  before: number;
  after: number;
  /** Training episodes' raw returns, in order. */
  trainingReturns: number[];
  updates: number;
  wallSeconds: number;
}

/** The trainer's loop without its store (training-loop.ts: on-policy rollout and update, or off-policy steps and gradient steps). */
export async function runLearningCheck(options: LearningCheckOptions): Promise<LearningCheckResult> {
  const start = performance.now();
  const envId = options.envId ?? 'Pendulum-v1',
    seed = options.seed ?? 1,
    evalEpisodes = options.evalEpisodes ?? 10;
  const algo = getAlgorithm(options.algo);
  const hparams = parseHparams(algo, options.hparams);
  const loop = createTrainingLoop(algo, { envId, hparams, backend: await selectBackend('fused'), rng: Rng.fromSeed(seed), seed });
  const evaluate = () => evaluatePolicy(loop.policy, envId, loop.stack.obsNorm, evalEpisodes, 10_000 + seed).returnMean;
  const before = evaluate();
  const totalUpdates = Math.ceil(options.totalSteps / loop.stepsPerIteration);
  const trainingReturns: number[] = [];
  for (let update = 1; update <= totalUpdates; update++) {
    const { episodes, stats } = loop.iterate(update, totalUpdates);
    for (const episode of episodes) trainingReturns.push(episode.return);
    for (const [key, value] of Object.entries(stats)) {
      if (!Number.isFinite(value) && !(key === 'explained_variance' && Number.isNaN(value))) throw new Error(`update ${update}: ${key} = ${value}`);
    }
  }
  const after = evaluate();
  loop.dispose();
  return { before, after, trainingReturns, updates: totalUpdates, wallSeconds: (performance.now() - start) / 1000 };
}

/** Mean raw return of the first and of the last fifth (at least 5) of the training episodes. */
export function firstAndLastReturns(returns: readonly number[]): { first: number; last: number } {
  const k = Math.max(5, Math.floor(returns.length / 5));
  if (returns.length < 2 * k) throw new Error(`only ${returns.length} training episodes: too few to compare first and last ${k}`);
  const meanOf = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return { first: meanOf(returns.slice(0, k)), last: meanOf(returns.slice(-k)) };
}

/**
 * Trains briefly and expects the mean return of the last training episodes to beat the first ones'
 * by `margin` (Pendulum-v1: about -1200 for a random policy, about -150 once it swings up and
 * balances). The deterministic evaluation before and after is reported in the message (printed
 * too when LEARNING_CHECK_LOG is set, for tuning).
 */
export async function expectLearns(options: LearningCheckOptions & { margin: number }): Promise<LearningCheckResult> {
  const result = await runLearningCheck(options);
  const { first, last } = firstAndLastReturns(result.trainingReturns);
  const summary =
    `${options.algo}: training return ${first.toFixed(1)} -> ${last.toFixed(1)}, ` +
    `deterministic eval ${result.before.toFixed(1)} -> ${result.after.toFixed(1)}, ${result.updates} updates, ${result.wallSeconds.toFixed(1)} s`;
  if (process.env.LEARNING_CHECK_LOG) console.log(summary);
  expect(last - first, summary).toBeGreaterThan(options.margin);
  return result;
}
