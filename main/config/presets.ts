/**
 * Preset files: tuned defaults per (algorithm, env) in assets/presets/<algo>/<env>.json, and any
 * file a user passes with --preset. One schema for presets, flags and --set (the algorithm's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { hparamsSchema, reservedNameProblem } from '../config/run-config.ts';

export const PRESETS_DIR = fileURLToPath(new URL('../../assets/presets/', import.meta.url));

export const presetSchema = z
  .object({
    description: z.string().optional(),
    totalSteps: z.number().int().positive().optional(),
    hparams: hparamsSchema.default({}),
  })
  .strict();
export type Preset = z.infer<typeof presetSchema>;

/** Reads and validates a preset file; errors name the file and the problem. */
export function readPreset(file: string): Preset {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read preset ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`preset ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = presetSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`preset ${file} is invalid:\n${issues}`);
  }
  return parsed.data;
}

/** The built-in preset for this algorithm and env, if there is one. */
export function builtinPreset(algo: string, env: string): { file: string; preset: Preset } | null {
  const file = path.join(PRESETS_DIR, algo, `${env}.json`);
  return fs.existsSync(file) ? { file, preset: readPreset(file) } : null;
}

/** `--set key=value`: numbers, true/false and null are typed; anything else stays a string. */
export function parseSetFlag(assignment: string): [string, number | boolean | string | null] {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new Error(`--set expects key=value, got "${assignment}"`);
  const key = assignment.slice(0, eq).trim();
  const problem = reservedNameProblem(key);
  if (problem) throw new Error(`--set ${assignment}: ${problem}`);
  const raw = assignment.slice(eq + 1).trim();
  if (raw === 'true' || raw === 'false') return [key, raw === 'true'];
  if (raw === 'null' || raw === 'none') return [key, null];
  if (raw !== '' && Number.isFinite(Number(raw))) return [key, Number(raw)];
  return [key, raw];
}
