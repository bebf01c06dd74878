import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPeer, gymnasiumId, parseCleanRlOutput } from './cleanrl-peer.ts';

describe('the CleanRL peer', () => {
  it("maps our robots to Gymnasium's MuJoCo v4 and keeps classic control", () => {
    expect(gymnasiumId('HalfCheetah-v0')).toBe('HalfCheetah-v4');
    expect(gymnasiumId('Hopper-v0')).toBe('Hopper-v4');
    expect(gymnasiumId('Pendulum-v1')).toBe('Pendulum-v1');
  });

  it('reads SPS, the torch threads and the training episodes from what the script prints', () => {
    const stdout = [
      'torch_threads: 1',
      'global_step=21, episodic_return=[12.5]',
      'global_step=1000, episodic_return=-3.25e+02',
      'SPS: 812',
      'loop_cpu_s: 2.5',
      'global_step=2048, episodic_return=[ 1501.75 ]',
      'SPS: 790',
      'loop_cpu_s: 5.125',
      '',
    ].join('\n');
    expect(parseCleanRlOutput(stdout)).toEqual({
      sps: [812, 790],
      loopCpuSeconds: [2.5, 5.125],
      torchThreads: 1,
      episodes: [
        { step: 21, return: 12.5 },
        { step: 1000, return: -325 },
        { step: 2048, return: 1501.75 },
      ],
    });
  });

  it('is found from the options, else from GAITLAB_PEER, else not at all', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-peer-test-'));
    try {
      fs.mkdirSync(path.join(dir, 'venv', 'bin'), { recursive: true });
      const python = path.join(dir, 'venv', 'bin', 'python');
      const script = path.join(dir, 'ppo_continuous_action.py');
      fs.writeFileSync(python, '');
      fs.writeFileSync(script, '');
      expect(findPeer({}, {})).toBeNull();
      expect(findPeer({}, { GAITLAB_PEER: dir })).toEqual({ python, script });
      expect(findPeer({ python, script }, { GAITLAB_PEER: '/nowhere' })).toEqual({ python, script });
      expect(() => findPeer({ python }, {})).toThrow(/only one of --peer-python and --peer-script was given/);
      expect(() => findPeer({}, { GAITLAB_PEER: path.join(dir, 'missing') })).toThrow(/the CleanRL peer's Python .*missing.* does not exist/);
      expect(() => findPeer({ python, script: path.join(dir, 'nope.py') }, {})).toThrow(/the CleanRL peer's script .*nope\.py does not exist/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
