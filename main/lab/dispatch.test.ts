import { describe, expect, it, vi } from 'vitest';
import type { LabCalls } from './api.ts';
import { dispatchCall } from './dispatch.ts';

function fakeLab(): LabCalls {
  return {
    catalog: vi.fn(() => ({ envs: [], algos: [] })),
    runDefaults: vi.fn(),
    validateRun: vi.fn(),
    createRun: vi.fn(),
    listRuns: vi.fn(() => []),
    getRun: vi.fn(() => {
      throw new Error("no run 'x' in /runs");
    }),
    scene: vi.fn(),
    command: vi.fn(),
    forkRun: vi.fn(),
  } as unknown as LabCalls;
}

describe('dispatchCall', () => {
  it('calls the method with the validated arguments', async () => {
    const lab = fakeLab();
    expect(await dispatchCall(lab, 'catalog', [])).toEqual({ ok: true, value: { envs: [], algos: [] } });
    expect(await dispatchCall(lab, 'command', ['run-1', { type: 'set-hparams', values: { learning_rate: 1e-4 } }])).toEqual({ ok: true, value: null });
    expect(lab.command).toHaveBeenCalledWith('run-1', { type: 'set-hparams', values: { learning_rate: 1e-4 } });
  });

  it('refuses unknown methods, including inherited names', async () => {
    const lab = fakeLab();
    expect(await dispatchCall(lab, 'deleteEverything', [])).toEqual({ ok: false, error: 'unknown method "deleteEverything"' });
    expect(await dispatchCall(lab, 'constructor', [])).toMatchObject({ ok: false });
    expect(await dispatchCall(lab, 42, [])).toMatchObject({ ok: false });
  });

  it('refuses arguments that fail the schema before the Lab sees them', async () => {
    const lab = fakeLab();
    const cases: [string, unknown][] = [
      ['getRun', ['../../etc']],
      ['getRun', ['.hidden']],
      ['getRun', ['a/b']],
      ['getRun', []],
      ['command', ['run-1', { type: 'format-disk' }]],
      ['command', ['run-1', { type: 'set-hparams', values: { learning_rate: { $gt: 1 } } }]],
      ['createRun', [{ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 1, hparams: {}, extra: true }]],
      ['forkRun', ['run-1', { step: -1, hparams: {} }]],
      ['listRuns', 'not an array'],
      ['videoLocation', ['run-1', '../run.json']],
      ['videoLocation', ['run-1', '..']],
      ['revealVideo', ['run-1', 'sub/a.mp4']],
      ['revealVideo', ['run-1', 'C:\\a.mp4']],
      ['revealVideo', ['../x', 'a.mp4']],
    ];
    for (const [method, args] of cases) {
      const result = await dispatchCall(lab, method, args);
      expect(result, `${method} ${JSON.stringify(args)}`).toMatchObject({ ok: false, error: expect.stringContaining(`invalid arguments for ${method}`) });
    }
    expect(lab.getRun).not.toHaveBeenCalled();
    expect(lab.command).not.toHaveBeenCalled();
    expect(lab.createRun).not.toHaveBeenCalled();
  });

  it('refuses __proto__, constructor and prototype as hyperparameter names, by name', async () => {
    const lab = fakeLab();
    // As a socket's JSON.parse makes them: own keys, which a zod record would drop without a word.
    const cases: [string, string][] = [
      ['createRun', '[{"env": "Pendulum-v1", "algo": "ppo", "seed": 1, "totalSteps": 2048, "hparams": {"__proto__": {"gamma": 0.5}}}]'],
      ['validateRun', '[{"env": "Pendulum-v1", "algo": "ppo", "seed": 1, "totalSteps": 2048, "hparams": {"constructor": 1}}]'],
      ['command', '["run-1", {"type": "set-hparams", "values": {"__proto__": 1}}]'],
      ['command', '["run-1", {"type": "set-hparams", "values": {"prototype": 1, "learning_rate": 0.001}}]'],
      ['forkRun', '["run-1", {"step": 0, "hparams": {"__proto__": 1}}]'],
    ];
    for (const [method, args] of cases) {
      const result = await dispatchCall(lab, method, JSON.parse(args));
      expect(result, `${method} ${args}`).toMatchObject({
        ok: false,
        error: expect.stringMatching(/"(__proto__|constructor|prototype)" is not a hyperparameter name/),
      });
    }
    expect(lab.command).not.toHaveBeenCalled();
    expect(lab.createRun).not.toHaveBeenCalled();
  });

  it("turns the Lab's errors into messages", async () => {
    expect(await dispatchCall(fakeLab(), 'getRun', ['x'])).toEqual({ ok: false, error: "no run 'x' in /runs" });
  });
});
