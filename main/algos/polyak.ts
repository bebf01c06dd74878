/** Target networks (Lillicrap et al. 2015): slow copies of the online ones that Bellman targets read. */
import type { Mlp } from '../rl/nn/mlp.ts';

/** Polyak averaging in place: target <- tau * online + (1 - tau) * target (tau 1 copies). */
export function polyakUpdate(target: Mlp, online: Mlp, tau: number): void {
  const t = target.params,
    o = online.params;
  if (t.length !== o.length) throw new Error(`polyak update between networks of ${t.length} and ${o.length} parameters`);
  for (let i = 0; i < t.length; i++) t[i] = tau * o[i] + (1 - tau) * t[i];
  target.paramsChanged();
}
