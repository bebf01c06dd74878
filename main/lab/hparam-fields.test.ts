import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flag, integer, netArch, optionalReal, real } from '../algos/hparams.ts';
import { listAlgorithms } from '../algos/index.ts';
import { hparamFields } from './hparam-fields.ts';

describe('hparamFields', () => {
  it('derives kind, default, bounds, description and liveness from the schema', () => {
    const schema = z.object({
      lr: real(3e-4, 'Adam learning rate', { gt: 0, max: 1, live: true }),
      epochs: integer(10, 'Passes', { min: 1, max: 100 }),
      norm: flag(true, 'Normalize', { live: true }),
      kl: optionalReal('Early stop (null: off)', { gt: 0, live: true }),
      arch: netArch('64,64', 'Widths'),
      act: z.enum(['tanh', 'relu']).default('tanh').describe('Activation').meta({ live: false }),
    });
    expect(hparamFields(schema)).toEqual([
      { name: 'lr', description: 'Adam learning rate', kind: 'number', default: 3e-4, nullable: false, live: true, exclusiveMin: 0, max: 1 },
      { name: 'epochs', description: 'Passes', kind: 'integer', default: 10, nullable: false, live: false, min: 1, max: 100 },
      { name: 'norm', description: 'Normalize', kind: 'boolean', default: true, nullable: false, live: true },
      { name: 'kl', description: 'Early stop (null: off)', kind: 'number', default: null, nullable: true, live: true, exclusiveMin: 0 },
      { name: 'arch', description: 'Widths', kind: 'string', default: '64,64', nullable: false, live: false },
      { name: 'act', description: 'Activation', kind: 'choice', default: 'tanh', nullable: false, live: false, choices: ['tanh', 'relu'] },
    ]);
  });

  it('describes every hyperparameter of every algorithm', () => {
    for (const algo of listAlgorithms()) {
      const fields = hparamFields(algo.hparamsSchema);
      expect(fields.map((f) => f.name)).toEqual(Object.keys(algo.hparamsSchema.shape));
      for (const field of fields) expect(field.description, `${algo.id}.${field.name}`).not.toBe('');
    }
  });

  it('refuses a type the form cannot show', () => {
    expect(() => hparamFields(z.object({ weights: z.array(z.number()).default([]) }))).toThrow(/weights has a type the form cannot show/);
  });
});
