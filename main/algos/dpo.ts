/**
 * Discovered Policy Optimisation (Lu et al. 2022, "Discovered Policy Optimisation"): PPO with the
 * clipped surrogate replaced by LPO's closed-form drift, as purejaxrl's dpo_continuous_action.py:
 *
 *   L_π = -mean(ρ·Â - drift),  Â the (per-minibatch normalized) advantage,
 *   drift = ReLU((ρ - 1)Â - α·tanh((ρ - 1)Â / α))   if Â >= 0,
 *           ReLU(log ρ·Â - β·tanh(log ρ·Â / β))     otherwise.
 *
 * The drift is zero at ρ = 1 and grows (like |x|, past the tanh's knee) as ρ moves the way the
 * advantage rewards, which is what keeps the policy near the one that collected the data.
 * Everything else (minibatch epochs, value loss, entropy bonus, optimizer) is PPO's machinery and
 * PPO's CleanRL defaults; clip_coef only clips the value loss here. purejaxrl runs 2048 envs x 10
 * steps with 4 epochs; with our one-env 2048-step rollouts PPO's 10 epochs are kept.
 */
import type { AlgorithmDefinition } from './algorithm.ts';
import { real } from './hparams.ts';
import { ppoHparams, PpoUpdate, type PolicyTerm } from './ppo.ts';
import type { z } from 'zod';

export const dpoHparams = ppoHparams.extend({
  clip_coef: real(0.2, 'Value-loss clipping range (DPO clips no ratio; used when clip_vloss)', { gt: 0, max: 10, live: true }),
  dpo_alpha: real(2, 'Drift scale alpha for samples with a non-negative advantage', { gt: 0, max: 100, live: true }),
  dpo_beta: real(0.6, 'Drift scale beta for samples with a negative advantage', { gt: 0, max: 100, live: true }),
});
export type DpoHparams = z.infer<typeof dpoHparams>;

/**
 * -(ρÂ - drift) and its derivative in log ρ. With x the drift's argument, d/dx (x - s·tanh(x/s)) =
 * tanh²(x/s), and x - s·tanh(x/s) has the sign of x, so the ReLU passes exactly where x > 0.
 */
export function dpoObjective(alpha: number, beta: number): PolicyTerm {
  return (ratio, logRatio, adv, out) => {
    const positive = adv >= 0;
    const x = positive ? (ratio - 1) * adv : logRatio * adv;
    const scale = positive ? alpha : beta;
    const drift = Math.max(0, x - scale * Math.tanh(x / scale));
    // dx/dlogρ: ρÂ for the ratio form, Â for the log-ratio form.
    const dDrift = x > 0 ? Math.tanh(x / scale) ** 2 * (positive ? ratio * adv : adv) : 0;
    out.loss = -(ratio * adv - drift);
    out.dLogRatio = -ratio * adv + dDrift;
    out.active = drift > 0;
  };
}

export const dpo: AlgorithmDefinition<typeof dpoHparams> = {
  id: 'dpo',
  title: 'DPO',
  description: "Discovered Policy Optimisation: PPO with LPO's closed-form drift in place of clipping",
  hparamsSchema: dpoHparams,
  create: (agent, hparams, rng) =>
    new PpoUpdate(agent, hparams, rng, {
      schema: dpoHparams,
      policyTerm: (hp) => dpoObjective(hp.dpo_alpha, hp.dpo_beta),
      activeStat: 'drift_fraction',
    }),
};
