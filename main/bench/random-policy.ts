/** The return of uniformly random actions: the floor every learning curve is compared against. */
import { initPhysics, makeEnv, Rng } from '../../sim/index.ts';

export async function randomPolicyReturn(envId: string, episodes: number, seed: number): Promise<{ mean: number; std: number }> {
  await initPhysics();
  const env = makeEnv(envId);
  const rng = Rng.fromSeed(seed);
  const space = env.spec.actionSpace;
  const action = new Float64Array(space.kind === 'box' ? space.size : 1);
  const returns: number[] = [];
  for (let episode = 0; episode < episodes; episode++) {
    env.reset({ seed: seed + episode });
    let total = 0;
    for (;;) {
      for (let k = 0; k < action.length; k++) action[k] = space.kind === 'box' ? rng.uniformRange(space.low[k], space.high[k]) : rng.int(space.n);
      const step = env.step(action);
      total += step.reward;
      if (step.terminated || step.truncated) break;
    }
    returns.push(total);
  }
  env.close();
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  return { mean, std: Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes) };
}
