import { describe, expect, it } from 'vitest';
import { getAlgorithm, parseHparams } from '../algos/index.ts';
import { budgetNote, planBudget, stepsPerUpdate } from './update-budget.ts';

describe('update budget', () => {
  it('rounds a budget down to whole updates and says so in one line', () => {
    const plan = planBudget(20_000, 2048);
    expect(plan).toEqual({ requestedSteps: 20_000, stepsPerUpdate: 2048, updates: 9, steps: 18_432 });
    expect(budgetNote(plan)).toBe('trains 18,432 steps = 9 updates of 2,048 (the budget of 20,000 rounded down to whole updates)');
  });

  it('says nothing when the budget is whole updates', () => {
    expect(budgetNote(planBudget(20_480, 2048))).toBeNull();
  });

  it('trains at least one update, and says that is more than asked', () => {
    const plan = planBudget(1000, 2048);
    expect(plan.steps).toBe(2048);
    expect(budgetNote(plan)).toBe('trains 2,048 steps = 1 update of 2,048 (the budget of 1,000 less than one update, rounded up to one)');
  });

  it('knows an update of each kind of algorithm', () => {
    const ppo = getAlgorithm('ppo');
    expect(stepsPerUpdate(ppo, parseHparams(ppo, { num_steps: 512, num_envs: 4 }))).toBe(2048);
    const sac = getAlgorithm('sac');
    expect(stepsPerUpdate(sac, parseHparams(sac, { log_every: 1000, num_envs: 3 }))).toBe(1002);
  });
});
