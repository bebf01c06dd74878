/**
 * Checkpoints of one run, in `checkpoints/<step>/`:
 *   state.json     JSON state (counters, RNG states, normalizer statistics, hparams, optimizer scalars)
 *   arrays.bin     every array's little-endian data, concatenated (weights, optimizer moments)
 *   manifest.json  where each array lies in arrays.bin, and the size and SHA-256 of both files
 * A checkpoint is written into `.tmp-*`, fsynced, then renamed to `<step>/`, so a run killed at any
 * instant leaves whole checkpoints and litter (`.tmp-*`, cleared by the next write), never a torn
 * `<step>/`. Sizes in the manifest tell a complete checkpoint cheaply (listing); hashes catch a
 * damaged one (loading).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { fsyncDir, TEMP_PREFIX, writeFileDurable } from './atomic-write.ts';
import { checkpointsToDiscard } from './checkpoint-retention.ts';
import { parseJson, readJsonFile } from './json-file.ts';
import { describeFsError } from './fs-errors.ts';

export interface Checkpoint {
  /** JSON-serializable: counters, RNG states, normalizer statistics, hparams, optimizer scalars. */
  state: unknown;
  arrays: Record<string, Float32Array | Float64Array>;
}

export interface LoadedCheckpoint extends Checkpoint {
  step: number;
}

const STATE_FILE = 'state.json';
const ARRAYS_FILE = 'arrays.bin';
const MANIFEST_FILE = 'manifest.json';
const STEP_FOLDER = /^(0|[1-9]\d*)$/;

const dtypeSchema = z.enum(['float32', 'float64']);
type DType = z.infer<typeof dtypeSchema>;
const DTYPES: Record<DType, Float32ArrayConstructor | Float64ArrayConstructor> = { float32: Float32Array, float64: Float64Array };

const fileEntrySchema = z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

const manifestSchema = z
  .object({
    format: z.literal(1),
    step: z.number().int().min(0),
    files: z.object({ [STATE_FILE]: fileEntrySchema, [ARRAYS_FILE]: fileEntrySchema }).strict(),
    arrays: z.array(
      z
        .object({
          name: z.string(),
          dtype: dtypeSchema,
          offset: z.number().int().min(0).describe('bytes into arrays.bin'),
          length: z.number().int().min(0).describe('elements'),
        })
        .strict(),
    ),
  })
  .strict();
type Manifest = z.infer<typeof manifestSchema>;

/**
 * Writes `checkpoints/<step>/` atomically, then deletes older ones but the `keep` latest (this one
 * always among them) and the milestones (see checkpoint-retention.ts).
 */
export function writeCheckpoint(dir: string, step: number, checkpoint: Checkpoint, keep: number): void {
  if (!Number.isSafeInteger(step) || step < 0) throw new Error(`checkpoint step must be a non-negative integer, got ${step}`);
  assertLittleEndianHost();
  const stateText = JSON.stringify(checkpoint.state);
  if (stateText === undefined) throw new Error('checkpoint state must be JSON-serializable');
  const state = [Buffer.from(stateText)];
  const arrays: Uint8Array[] = [];
  const entries: Manifest['arrays'] = [];
  let offset = 0;
  for (const [name, array] of Object.entries(checkpoint.arrays)) {
    entries.push({ name, dtype: dtypeOf(name, array), offset, length: array.length });
    arrays.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    offset += array.byteLength;
  }
  const manifest: Manifest = {
    format: 1,
    step,
    files: { [STATE_FILE]: fileEntry(state), [ARRAYS_FILE]: fileEntry(arrays) },
    arrays: entries,
  };

  clearTemps(dir);
  const temp = fs.mkdtempSync(path.join(dir, `${TEMP_PREFIX}${step}-`));
  writeFileDurable(path.join(temp, STATE_FILE), state);
  writeFileDurable(path.join(temp, ARRAYS_FILE), arrays);
  writeFileDurable(path.join(temp, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  fsyncDir(temp);
  // The step exists already when a run resumed from an earlier checkpoint and got here again.
  if (fs.existsSync(stepDir(dir, step))) discard(dir, step);
  fs.renameSync(temp, stepDir(dir, step));
  fsyncDir(dir);

  for (const s of checkpointsToDiscard(listCheckpoints(dir), step, keep)) discard(dir, s);
}

/** Steps of the complete checkpoints, ascending. Incomplete or damaged ones are left out; loading one says why. */
export function listCheckpoints(dir: string): number[] {
  return stepFolders(dir).filter((step) => {
    try {
      inspect(dir, step);
      return true;
    } catch {
      return false;
    }
  });
}

/** Steps of every `<step>/` folder, ascending, whether complete or not. */
function stepFolders(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => STEP_FOLDER.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** A checkpoint that could not be loaded, and why. */
export interface DamagedCheckpoint {
  step: number;
  problem: string;
}

/**
 * The newest checkpoint that loads whole (sizes and hashes verified), and the newer ones that do not;
 * null when there is no checkpoint at all. Every `<step>/` folder is whole unless damaged later (it
 * appears by an atomic rename), so one that fails is reported, never silently passed over.
 */
export function loadNewestIntactCheckpoint(dir: string): { checkpoint: LoadedCheckpoint | null; damaged: DamagedCheckpoint[] } {
  const damaged: DamagedCheckpoint[] = [];
  for (const step of stepFolders(dir).reverse()) {
    try {
      return { checkpoint: loadCheckpoint(dir, step), damaged };
    } catch (error) {
      damaged.push({ step, problem: (error as Error).message });
    }
  }
  return { checkpoint: null, damaged };
}

/** Deletes every checkpoint past `step`, damaged ones included: a run resumed from `step` leaves them behind. */
export function discardCheckpointsAfter(dir: string, step: number): number[] {
  const later = stepFolders(dir).filter((s) => s > step);
  for (const s of later) discard(dir, s);
  if (later.length > 0) fsyncDir(dir);
  return later;
}

/** Loads the checkpoint at `step` (default: the latest complete one), verifying both files' hashes. */
export function loadCheckpoint(dir: string, step?: number): LoadedCheckpoint {
  assertLittleEndianHost();
  const chosen = step ?? listCheckpoints(dir).at(-1);
  if (chosen === undefined) throw new Error(`no complete checkpoint in ${dir}`);
  if (!fs.existsSync(stepDir(dir, chosen))) {
    throw new Error(`no checkpoint at step ${chosen} in ${dir}; complete ones: ${listCheckpoints(dir).join(', ') || 'none'}`);
  }
  const manifest = inspect(dir, chosen);
  const stateText = readVerified(dir, chosen, STATE_FILE, manifest).toString('utf8');
  const arrays = readVerified(dir, chosen, ARRAYS_FILE, manifest);
  return {
    step: chosen,
    state: parseJson(stateText, z.unknown(), path.join(stepDir(dir, chosen), STATE_FILE)),
    arrays: Object.fromEntries(
      manifest.arrays.map(({ name, dtype, offset, length }) => {
        const array = new DTYPES[dtype](length);
        new Uint8Array(array.buffer).set(arrays.subarray(offset, offset + array.byteLength));
        return [name, array];
      }),
    ),
  };
}

/** The manifest of `<step>/`, once the files' sizes and the arrays' extents agree with it; else a clear error. */
function inspect(dir: string, step: number): Manifest {
  const folder = stepDir(dir, step);
  const manifestFile = path.join(folder, MANIFEST_FILE);
  const manifest = readJsonFile(manifestFile, manifestSchema);
  if (manifest.step !== step) throw new Error(`${manifestFile}: says step ${manifest.step}, but its folder is ${folder}`);
  for (const [name, { bytes }] of Object.entries(manifest.files)) {
    const file = path.join(folder, name);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (error) {
      throw new Error(`incomplete checkpoint: cannot read ${file}: ${describeFsError(error)}`);
    }
    if (size !== bytes) throw new Error(`incomplete checkpoint: ${file} has ${size} bytes, ${MANIFEST_FILE} says ${bytes}`);
  }
  const arraysBytes = manifest.files[ARRAYS_FILE].bytes;
  for (const { name, dtype, offset, length } of manifest.arrays) {
    if (offset + length * DTYPES[dtype].BYTES_PER_ELEMENT > arraysBytes) {
      throw new Error(`${manifestFile}: array "${name}" lies beyond the ${arraysBytes} bytes of ${ARRAYS_FILE}`);
    }
  }
  return manifest;
}

function readVerified(dir: string, step: number, name: typeof STATE_FILE | typeof ARRAYS_FILE, manifest: Manifest): Buffer {
  const file = path.join(stepDir(dir, step), name);
  const bytes = fs.readFileSync(file);
  if (fileEntry([bytes]).sha256 !== manifest.files[name].sha256) {
    throw new Error(`damaged checkpoint: the SHA-256 of ${file} does not match ${MANIFEST_FILE}`);
  }
  return bytes;
}

function fileEntry(chunks: readonly Uint8Array[]): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return { bytes: chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0), sha256: hash.digest('hex') };
}

function dtypeOf(name: string, array: Float32Array | Float64Array): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  throw new Error(`checkpoint array "${name}" must be a Float32Array or a Float64Array`);
}

function stepDir(dir: string, step: number): string {
  return path.join(dir, String(step));
}

/** Removes `<step>/` by first renaming it to litter, so a crash mid-delete never leaves a half `<step>/`. */
function discard(dir: string, step: number): void {
  const litter = path.join(dir, `${TEMP_PREFIX}discard-${step}-${randomBytes(4).toString('hex')}`);
  fs.renameSync(stepDir(dir, step), litter);
  fs.rmSync(litter, { recursive: true, force: true });
}

/** Litter of interrupted writes and deletes. One writer per run, so none of it is in progress. */
function clearTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(TEMP_PREFIX)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

function assertLittleEndianHost(): void {
  // arrays.bin holds the typed arrays' own bytes, which are little-endian only on a little-endian host.
  if (os.endianness() !== 'LE') throw new Error('GaitLab checkpoints need a little-endian host');
}
