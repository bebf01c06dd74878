/**
 * Synchronous Advantage Actor-Critic (Mnih et al. 2016, the synchronous A2C of OpenAI Baselines):
 * short rollouts from several envs, advantages A_t = GAE(gamma, gae_lambda) (lambda 1: the n-step
 * returns of the rollout minus V), and ONE gradient step per rollout on
 * -mean(A · log π) - ent_coef · H + vf_coef · ½ MSE.
 *
 * Defaults are Stable-Baselines3's A2C (lr 7e-4 constant, n_steps 5, gae_lambda 1, ent 0, vf 0.5,
 * grad-norm clip 0.5, RMSprop alpha 0.99 eps 1e-5, no advantage normalization), chosen over
 * PolicyGradientsJax's a2c.py because that one takes 8 minibatch steps per 8 x 2048-step rollout with
 * entropy 0.1 tuned for its tanh-Normal, state-dependent std: not one step per rollout, and an
 * entropy weight that would inflate our state-independent log-std. Two differences from SB3: 8 envs
 * by default (SB3 takes the env it is given; the zoo uses 4 to 16), and the value loss is ½ MSE as
 * everywhere here, where SB3 uses MSE: SB3's vf_coef 0.5 is 1.0 in this convention. Tuned settings
 * live in presets (assets/presets/a2c/), not here.
 */
import { z } from 'zod';
import type { AlgorithmDefinition } from './algorithm.ts';
import { flag, integer, onPolicyCommon, real } from './hparams.ts';
import { PolicyGradientAlgorithm } from './policy-gradient.ts';
import { RmsProp } from './rmsprop.ts';
import { Adam } from '../rl/adam.ts';

export const a2cHparams = z
  .object({
    ...onPolicyCommon,
    num_envs: integer(8, 'Parallel environments stepped together', { min: 1, max: 512 }),
    num_steps: integer(5, 'Steps per environment per rollout (n of the n-step returns)', { min: 1, max: 100_000 }),
    gae_lambda: real(1, 'GAE lambda; 1 gives the n-step returns of the rollout', { min: 0, max: 1, live: true }),
    learning_rate: real(7e-4, 'Optimizer learning rate', { gt: 0, max: 1, live: true }),
    anneal_lr: flag(false, 'Anneal the learning rate linearly to 0 over training'),
    optimizer: z.enum(['rmsprop', 'adam']).default('rmsprop').describe('RMSprop (alpha 0.99, as SB3) or Adam').meta({ live: false }),
    optimizer_eps: real(1e-5, 'Epsilon added to the optimizer denominator (SB3 rms_prop_eps)', { gt: 0, max: 1 }),
    norm_adv: flag(false, 'Standardize advantages over the batch', { live: true }),
    ent_coef: real(0, 'Entropy bonus coefficient', { min: 0, max: 1, live: true }),
    vf_coef: real(0.5, 'Value loss coefficient (on ½ MSE)', { min: 0, max: 100, live: true }),
  })
  .strict();
export type A2cHparams = z.infer<typeof a2cHparams>;

export const a2c: AlgorithmDefinition<typeof a2cHparams> = {
  id: 'a2c',
  title: 'A2C',
  description: 'Advantage Actor-Critic: n-step or GAE advantages, one RMSprop step per short rollout (SB3 defaults)',
  hparamsSchema: a2cHparams,
  create: (agent, hparams) =>
    new PolicyGradientAlgorithm(agent, hparams, {
      schema: a2cHparams,
      weights: (batch) => batch.advantages,
      optimizer: (sizes) =>
        hparams.optimizer === 'rmsprop' ? new RmsProp(sizes, { alpha: 0.99, eps: hparams.optimizer_eps }) : new Adam(sizes, { eps: hparams.optimizer_eps }),
    }),
};
