/** What the New-run form offers: every environment and algorithm, with their one-line descriptions. */
import { listEnvs } from '../../sim/index.ts';
import { listAlgorithms } from '../algos/index.ts';
import type { Catalog } from './api.ts';
import { hparamFields } from './hparam-fields.ts';

export function buildCatalog(): Catalog {
  return {
    envs: listEnvs().map((env) => ({
      id: env.id,
      description: env.description,
      observationSize: env.observationSpace.size,
      action: env.actionSpace.kind === 'box' ? `${env.actionSpace.size}-d box` : `${env.actionSpace.n} discrete`,
      dtSeconds: env.dtSeconds,
      maxEpisodeSteps: env.maxEpisodeSteps,
      rewardTerms: [...env.rewardTerms],
    })),
    algos: listAlgorithms().map((algo) => ({
      id: algo.id,
      title: algo.title,
      description: algo.description,
      fields: hparamFields(algo.hparamsSchema),
    })),
  };
}
