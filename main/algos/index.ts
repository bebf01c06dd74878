/** The algorithm registry: `gaitlab algos`, the app's picker and preset validation read it. */
import type { z } from 'zod';
import type { RegisteredAlgorithm } from './algorithm.ts';
import { liveKeys } from './hparams.ts';
import { ppo } from './ppo.ts';
import { a2c } from './a2c.ts';
import { reinforce } from './reinforce.ts';
import { trpo } from './trpo.ts';
import { vmpo } from './vmpo.ts';
import { mdpo } from './mdpo.ts';
import { dpo } from './dpo.ts';
import { grpo } from './grpo.ts';
import { ddpg } from './ddpg.ts';
import { td3 } from './td3.ts';
import { sac } from './sac.ts';

const ALGORITHMS: RegisteredAlgorithm[] = [ppo, a2c, reinforce, trpo, vmpo, mdpo, dpo, grpo, ddpg, td3, sac] as unknown as RegisteredAlgorithm[];

export function listAlgorithms(): RegisteredAlgorithm[] {
  return ALGORITHMS;
}

export function getAlgorithm(id: string): RegisteredAlgorithm {
  const algo = ALGORITHMS.find((a) => a.id === id);
  if (!algo) throw new Error(`unknown algorithm "${id}"; known: ${ALGORITHMS.map((a) => a.id).join(', ')} (see \`gaitlab algos\`)`);
  return algo;
}

/** Hyperparameters a user may change while the run trains. */
export function liveHparams(algo: RegisteredAlgorithm): string[] {
  return liveKeys(algo.hparamsSchema);
}

/** Validates hyperparameters against the algorithm's schema, filling defaults; errors name each bad key. */
export function parseHparams(algo: RegisteredAlgorithm, values: Record<string, unknown>): Record<string, unknown> {
  const result = algo.hparamsSchema.safeParse(values);
  if (result.success) return result.data as Record<string, unknown>;
  throw new Error(`invalid hyperparameters for ${algo.id}:\n${formatIssues(result.error)}`);
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `  unknown hyperparameter(s): ${issue.keys.join(', ')}`;
      return `  ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    })
    .join('\n');
}
