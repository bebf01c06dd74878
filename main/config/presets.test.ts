/** Every built-in preset parses and validates against its algorithm's hyperparameter schema. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS_DIR, readPreset } from './presets.ts';
import { listAlgorithms, parseHparams } from '../algos/index.ts';
import { listEnvs } from '../../sim/index.ts';

describe('built-in presets', () => {
  const envIds = new Set(listEnvs().map((spec) => spec.id));
  for (const algo of listAlgorithms()) {
    const dir = path.join(PRESETS_DIR, algo.id);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    for (const file of files) {
      it(`${algo.id}/${file} is valid for ${algo.id} and names a registered env`, () => {
        expect(envIds.has(file.replace(/\.json$/, ''))).toBe(true);
        const preset = readPreset(path.join(dir, file));
        expect(() => parseHparams(algo, preset.hparams)).not.toThrow();
        expect(preset.description?.length ?? 0).toBeGreaterThan(20);
      });
    }
  }

  it('covers Pendulum-v1 for every algorithm', () => {
    for (const algo of listAlgorithms()) expect(fs.existsSync(path.join(PRESETS_DIR, algo.id, 'Pendulum-v1.json')), algo.id).toBe(true);
  });
});
