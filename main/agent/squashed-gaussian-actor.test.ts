/** SAC's squashed Gaussian: the log-prob's tanh correction, its reparameterized gradients, the deterministic action. */
import { describe, expect, it } from 'vitest';
import { box, uniformBox, type BoxSpace } from '../../sim/index.ts';
import { selectBackend } from '../rl/nn/backend.ts';
import { expectGradientsMatch } from '../rl/gradient-check.test-support.ts';
import { randomArray, seededUniform } from '../rl/numeric.test-support.ts';
import { LOG_STD_MAX, LOG_STD_MIN, SquashedGaussianActor } from './squashed-gaussian-actor.ts';

async function actor(actionSpace: BoxSpace, seed: number): Promise<SquashedGaussianActor> {
  const uniform = seededUniform(seed);
  const net = new SquashedGaussianActor({ obsSize: 3, actionSpace, hiddenSizes: [8, 8], activation: 'tanh' }, await selectBackend('fused'), uniform);
  // Larger output weights than the 0.01 gain: means and log-stds spread, some actions near the bounds.
  net.net.params.forEach((v, i, a) => (a[i] = v * 40));
  return net;
}

/** ∫ N(x; mean, std) dx over [lo, hi] by composite Simpson's rule. */
function gaussianMass(mean: number, std: number, lo: number, hi: number, intervals = 2000): number {
  const pdf = (x: number) => Math.exp(-0.5 * ((x - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI));
  const h = (hi - lo) / intervals;
  let sum = pdf(lo) + pdf(hi);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * pdf(lo + i * h);
  return (sum * h) / 3;
}

describe('SquashedGaussianActor', () => {
  it('gives the log density of the squashed action: P(|A - a| < δ) / 2δ, integrated numerically in x = atanh space', async () => {
    const space = box([-2, 0], [2, 1]);
    const net = await actor(space, 1);
    const uniform = seededUniform(2);
    for (let trial = 0; trial < 8; trial++) {
      const obs = randomArray(3, uniform, 2);
      const { actions, logProbs } = net.sample(obs, 1, () => 2 * uniform() - 1);
      const head = net.net.forward(obs, 1);
      let numericLog = 0;
      for (let k = 0; k < 2; k++) {
        const scale = (space.high[k] - space.low[k]) / 2,
          bias = (space.high[k] + space.low[k]) / 2;
        const logStd = LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (Math.tanh(head[2 + k]) + 1);
        const delta = 1e-4 * scale;
        const toX = (a: number) => Math.atanh((a - bias) / scale);
        const mass = gaussianMass(head[k], Math.exp(logStd), toX(actions[k] - delta), toX(actions[k] + delta));
        numericLog += Math.log(mass / (2 * delta));
      }
      // The 1e-6 that keeps log(scale (1 - y²) + 1e-6) finite is far below 1e-3 of these Jacobians.
      expect(logProbs[0]).toBeCloseTo(numericLog, 2);
    }
  });

  it('backpropagates action and log-prob gradients with ε held fixed (finite differences)', async () => {
    const net = await actor(box([-2, 0], [2, 1]), 3);
    const uniform = seededUniform(4);
    const batch = 6,
      obs = randomArray(batch * 3, uniform, 2);
    const eps = randomArray(batch * 2, uniform, 1.5);
    const dActions = randomArray(batch * 2, uniform),
      dLogProbs = randomArray(batch, uniform);
    const loss = () => {
      let i = 0;
      const { actions, logProbs } = net.sample(obs, batch, () => eps[i++]);
      let sum = 0;
      actions.forEach((a, j) => (sum += a * dActions[j]));
      logProbs.forEach((lp, b) => (sum += lp * dLogProbs[b]));
      return sum;
    };
    loss();
    net.net.zeroGrads();
    net.backward(dActions, dLogProbs);
    expectGradientsMatch(net.net, loss, { perArray: 60, relTol: 0.03 });
  });

  it('acts deterministically with bias + scale·tanh(mean), and samples inside the Box', async () => {
    const space = uniformBox(1, -3, 1);
    const net = await actor(space, 5);
    const obs = randomArray(200 * 3, seededUniform(6), 3);
    const deterministic = new Float32Array(200);
    net.actDeterministic(obs, 200, deterministic);
    const head = net.net.forward(obs, 200);
    deterministic.forEach((a, b) => expect(a).toBeCloseTo(-1 + 2 * Math.tanh(head[2 * b]), 5));
    const uniform = seededUniform(7);
    const { actions } = net.sample(obs, 200, () => 6 * uniform() - 3);
    for (const a of actions) {
      expect(a).toBeGreaterThanOrEqual(-3);
      expect(a).toBeLessThanOrEqual(1);
    }
  });
});
