/**
 * The one-way layering of main/ is checked by `npm run lint` (eslint.config.js): an import from a
 * higher layer is an error, one from a lower layer is not, and tests may reach up.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: REPO_ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('main/ layer rule', () => {
  it('refuses an import that points up a layer, naming the layers above', async () => {
    const errors = await layerErrors('main/store/upward.ts', "import { Lab } from '../lab/lab.ts';\nexport const lab = Lab;\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('main/store sits below');
  });

  it('accepts an import that points down, and a test that reaches up', async () => {
    expect(await layerErrors('main/lab/downward.ts', "import { RunStore } from '../store/run-store.ts';\nexport const store = RunStore;\n")).toEqual([]);
    expect(await layerErrors('main/store/reach.test.ts', "import { Lab } from '../lab/lab.ts';\nexport const lab = Lab;\n")).toEqual([]);
  });
});
