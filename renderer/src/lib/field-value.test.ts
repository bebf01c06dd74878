import { describe, expect, it } from 'vitest';
import type { HparamField } from '../../../main/lab/api.ts';
import { fromFormValues, parseFieldText, toFormValues } from './field-value.ts';

const field = (name: string, kind: HparamField['kind'], nullable = false): HparamField => ({
  name,
  kind,
  nullable,
  description: '',
  default: null,
  live: true,
});

describe('form values', () => {
  it('turns number text into numbers, and leaves what is not a number for main to reject', () => {
    expect(parseFieldText(field('lr', 'number'), ' 3e-4 ')).toBe(3e-4);
    expect(parseFieldText(field('lr', 'number'), 'fast')).toBe('fast');
    expect(parseFieldText(field('lr', 'number'), '')).toBe('');
    expect(parseFieldText(field('kl', 'number', true), '')).toBeNull();
    expect(parseFieldText(field('kl', 'number', true), 'off')).toBeNull();
    expect(parseFieldText(field('arch', 'string'), '64,64')).toBe('64,64');
  });

  it('round-trips hyperparameters through the form', () => {
    const fields = [field('lr', 'number'), field('norm', 'boolean'), field('kl', 'number', true), field('act', 'choice')];
    const values = { lr: 0.001, norm: true, kl: null, act: 'tanh' };
    const form = toFormValues(fields, values);
    expect(form).toEqual({ lr: '0.001', norm: true, kl: '', act: 'tanh' });
    expect(fromFormValues(fields, form)).toEqual(values);
  });
});
