/** The Fisher-vector product is the Hessian of the mean KL(old || θ) at θ = old, by finite differences of the KL gradient. */
import { describe, expect, it } from 'vitest';
import { uniformBox, discrete } from '../../sim/core/spaces.ts';
import type { ActorCritic } from '../agent/actor-critic.ts';
import { FisherVectorProduct, policyParamCount, readPolicyGrads, readPolicyParams, writePolicyParams } from './fisher-vector-product.ts';
import { OldPolicy, klFromOldBackward } from './old-policy.ts';
import { dot } from './conjugate-gradient.ts';
import { syntheticAgent } from './synthetic-agent.test-support.ts';
import { randomArray, relativeError, seededUniform } from '../rl/numeric.test-support.ts';

/** ∇θ mean_b KL(old_b || π_θ(s_b)) at θ [P], by the distributions' KL gradients and one backward. */
function klGradient(agent: ActorCritic, old: OldPolicy, obs: Float32Array, rows: number, theta: Float64Array): Float64Array {
  writePolicyParams(agent, theta);
  const heads = agent.actor.forward(obs, rows);
  const dHead = new Float32Array(heads.length);
  agent.zeroGrads();
  klFromOldBackward(agent, old.heads, old.logStd, heads, rows, new Float32Array(rows).fill(1 / rows), dHead, agent.logStdGrad);
  agent.actor.backward(dHead);
  const grad = new Float64Array(theta.length);
  readPolicyGrads(agent, grad);
  return grad;
}

describe('FisherVectorProduct', () => {
  const cases = [
    ['Gaussian', uniformBox(2, -1, 1), 'fused'],
    ['categorical', discrete(4), 'fused'],
    ['Gaussian, tfjs engine', uniformBox(3, -1, 1), 'cpu'],
  ] as const;
  for (const [name, space, backend] of cases) {
    it(`equals the Hessian of the KL from finite differences of its gradient (${name})`, async () => {
      const agent = await syntheticAgent({ seed: 11, actionSpace: space, backend, actorScale: 20, logStdInit: -0.5 });
      const uniform = seededUniform(12),
        rows = 24;
      const obs = randomArray(rows * agent.spec.obsSize, uniform, 2);
      const old = new OldPolicy(agent);
      old.capture(obs, rows);
      const theta0 = new Float64Array(policyParamCount(agent));
      readPolicyParams(agent, theta0);
      const fisher = new FisherVectorProduct(agent);
      for (let trial = 0; trial < 3; trial++) {
        const v = Float64Array.from(randomArray(theta0.length, uniform));
        const h = 1e-3; // the error falls as h² (truncation), down to float32 noise
        const up = klGradient(
          agent,
          old,
          obs,
          rows,
          theta0.map((t, i) => t + h * v[i]),
        );
        const down = klGradient(
          agent,
          old,
          obs,
          rows,
          theta0.map((t, i) => t - h * v[i]),
        );
        const hessianV = up.map((u, i) => (u - down[i]) / (2 * h));
        writePolicyParams(agent, theta0);
        fisher.prepare(obs, rows);
        const fv = new Float64Array(theta0.length);
        fisher.multiply(v, fv);
        expect(relativeError(fv, hessianV)).toBeLessThan(1e-3);
        // vᵀFv > 0, and damping adds λv.
        expect(dot(v, fv)).toBeGreaterThan(0);
        const damped = new Float64Array(theta0.length);
        fisher.multiply(v, damped, 0.1);
        expect(
          relativeError(
            damped,
            fv.map((f, i) => f + 0.1 * v[i]),
          ),
        ).toBeLessThan(1e-6);
      }
      // The KL gradient is 0 at θ_old: the Hessian is F, not F plus a gradient term.
      expect(Math.max(...klGradient(agent, old, obs, rows, theta0).map(Math.abs))).toBeLessThan(1e-6);
    });
  }

  it('is symmetric: wᵀ F v = vᵀ F w', async () => {
    const agent = await syntheticAgent({ seed: 5, actorScale: 10 });
    const uniform = seededUniform(6),
      rows = 16;
    const fisher = new FisherVectorProduct(agent);
    fisher.prepare(randomArray(rows * 3, uniform), rows);
    const p = policyParamCount(agent);
    const v = Float64Array.from(randomArray(p, uniform)),
      w = Float64Array.from(randomArray(p, uniform));
    const fv = new Float64Array(p),
      fw = new Float64Array(p);
    fisher.multiply(v, fv);
    fisher.multiply(w, fw);
    expect(dot(w, fv)).toBeCloseTo(dot(v, fw), 5);
  });

  it('reads and writes θ = [actor params, log-std] in that order', async () => {
    const agent = await syntheticAgent({ seed: 1 });
    const theta = new Float64Array(policyParamCount(agent));
    expect(theta.length).toBe(agent.actor.params.length + 2);
    readPolicyParams(agent, theta);
    expect(theta[agent.actor.params.length]).toBeCloseTo(-0.3, 6);
    theta[theta.length - 1] = 0.25;
    theta[0] = 1.5;
    writePolicyParams(agent, theta);
    expect(agent.logStd[1]).toBe(0.25);
    expect(agent.actor.params[0]).toBe(1.5);
    expect(() => new FisherVectorProduct(agent).multiply(theta, theta)).toThrow('before prepare');
  });
});
