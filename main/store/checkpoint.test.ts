import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listCheckpoints, loadCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();
const KEEP_ALL = 100;

/** Values whose bits a lossy round trip would change: NaN payloads, -0, subnormals, infinities, float64 precision. */
function awkwardCheckpoint(): Checkpoint {
  const weights = new Float32Array([1.5, -0, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, Math.PI]);
  new Uint32Array(weights.buffer)[0] = 0x7fc00123; // a NaN with a payload
  const backing = new Float64Array([9, 0.1, 1 / 3, Number.MIN_VALUE, 1e300, 9]);
  return {
    state: { counters: { update: 3, step: 96 }, rng: [1, 2, 3, 4], obsNorm: { mean: [0.5], var: [2] }, hparams: { clip_coef: 0.2 } },
    arrays: {
      'params/pi/0': weights,
      'optimizer/m': backing.subarray(1, 5), // a view into a larger buffer: only its own bytes belong in the file
      'params/empty': new Float32Array(0),
    },
  };
}

function bytesOf(array: Float32Array | Float64Array): number[] {
  return [...new Uint8Array(array.buffer, array.byteOffset, array.byteLength)];
}

describe('checkpoints', () => {
  it('round-trips state and arrays bit for bit, keeping each dtype', () => {
    const saved = awkwardCheckpoint();
    writeCheckpoint(tempDir(), 96, saved, KEEP_ALL);
    const loaded = loadCheckpoint(tempDir(), 96);
    expect(loaded.step).toBe(96);
    expect(loaded.state).toEqual(saved.state);
    expect(Object.keys(loaded.arrays)).toEqual(Object.keys(saved.arrays));
    for (const [name, array] of Object.entries(saved.arrays)) {
      expect(loaded.arrays[name].constructor, name).toBe(array.constructor);
      expect(bytesOf(loaded.arrays[name]), name).toEqual(bytesOf(array));
    }
  });

  it('lays out the folder as documented: state.json, arrays.bin and a manifest with sizes and hashes', () => {
    writeCheckpoint(tempDir(), 96, awkwardCheckpoint(), KEEP_ALL);
    const folder = path.join(tempDir(), '96');
    expect(fs.readdirSync(folder).sort()).toEqual(['arrays.bin', 'manifest.json', 'state.json']);
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    expect(manifest.arrays).toEqual([
      { name: 'params/pi/0', dtype: 'float32', offset: 0, length: 7 },
      { name: 'optimizer/m', dtype: 'float64', offset: 28, length: 4 },
      { name: 'params/empty', dtype: 'float32', offset: 60, length: 0 },
    ]);
    expect(manifest.files['arrays.bin'].bytes).toBe(fs.statSync(path.join(folder, 'arrays.bin')).size);
    expect(manifest.files['state.json'].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists complete checkpoints in numeric order, ignoring other names', () => {
    for (const step of [10, 9, 100, 0]) writeCheckpoint(tempDir(), step, awkwardCheckpoint(), KEEP_ALL);
    fs.mkdirSync(path.join(tempDir(), 'notes'));
    expect(listCheckpoints(tempDir())).toEqual([0, 9, 10, 100]);
  });

  it('survives a crash mid-write: a leftover temp folder and a torn checkpoint are skipped, the previous one loads', () => {
    writeCheckpoint(tempDir(), 100, awkwardCheckpoint(), KEEP_ALL);
    writeCheckpoint(tempDir(), 200, awkwardCheckpoint(), KEEP_ALL);
    const leftover = path.join(tempDir(), '.tmp-300-abc123');
    fs.mkdirSync(leftover);
    fs.writeFileSync(path.join(leftover, 'arrays.bin'), 'half');
    const torn = path.join(tempDir(), '200', 'arrays.bin');
    fs.truncateSync(torn, 10);

    expect(listCheckpoints(tempDir())).toEqual([100]);
    expect(loadCheckpoint(tempDir()).step).toBe(100);
    expect(() => loadCheckpoint(tempDir(), 200)).toThrow(`incomplete checkpoint: ${torn} has 10 bytes, manifest.json says 60`);

    writeCheckpoint(tempDir(), 300, awkwardCheckpoint(), KEEP_ALL);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(listCheckpoints(tempDir())).toEqual([100, 300]);
  });

  it('reports a missing file of a checkpoint by name', () => {
    writeCheckpoint(tempDir(), 5, awkwardCheckpoint(), KEEP_ALL);
    const state = path.join(tempDir(), '5', 'state.json');
    fs.rmSync(state);
    expect(listCheckpoints(tempDir())).toEqual([]);
    expect(() => loadCheckpoint(tempDir(), 5)).toThrow(`incomplete checkpoint: cannot read ${state}: ENOENT`);
  });

  it.each(['arrays.bin', 'state.json'])('detects a damaged %s of the right size by its hash', (name) => {
    writeCheckpoint(tempDir(), 7, awkwardCheckpoint(), KEEP_ALL);
    const file = path.join(tempDir(), '7', name);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 2] ^= 0x01;
    fs.writeFileSync(file, bytes);
    expect(() => loadCheckpoint(tempDir())).toThrow(`damaged checkpoint: the SHA-256 of ${file} does not match manifest.json`);
  });

  it('reports an unreadable manifest by file name, and does not list that checkpoint', () => {
    writeCheckpoint(tempDir(), 1, awkwardCheckpoint(), KEEP_ALL);
    writeCheckpoint(tempDir(), 2, awkwardCheckpoint(), KEEP_ALL);
    const manifest = path.join(tempDir(), '2', 'manifest.json');
    fs.writeFileSync(manifest, '{"format": 1, "st');
    expect(listCheckpoints(tempDir())).toEqual([1]);
    expect(() => loadCheckpoint(tempDir(), 2)).toThrow(`${manifest}: not valid JSON`);
  });

  it('rejects a checkpoint folder renamed to another step', () => {
    writeCheckpoint(tempDir(), 5, awkwardCheckpoint(), KEEP_ALL);
    fs.cpSync(path.join(tempDir(), '5'), path.join(tempDir(), '6'), { recursive: true });
    expect(listCheckpoints(tempDir())).toEqual([5]);
    expect(() => loadCheckpoint(tempDir(), 6)).toThrow(
      `${path.join(tempDir(), '6', 'manifest.json')}: says step 5, but its folder is ${path.join(tempDir(), '6')}`,
    );
  });

  it('rejects a manifest whose arrays lie outside arrays.bin', () => {
    writeCheckpoint(tempDir(), 1, awkwardCheckpoint(), KEEP_ALL);
    const manifestFile = path.join(tempDir(), '1', 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    manifest.arrays[0].length = 1000;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(() => loadCheckpoint(tempDir(), 1)).toThrow(`${manifestFile}: array "params/pi/0" lies beyond the 60 bytes of arrays.bin`);
  });

  it('says what exists when there is no checkpoint to load', () => {
    expect(() => loadCheckpoint(tempDir())).toThrow(`no complete checkpoint in ${tempDir()}`);
    writeCheckpoint(tempDir(), 100, awkwardCheckpoint(), KEEP_ALL);
    expect(() => loadCheckpoint(tempDir(), 7)).toThrow(`no checkpoint at step 7 in ${tempDir()}; complete ones: 100`);
  });

  it('keeps the latest `keep` checkpoints, always including the one just written, and the milestones', () => {
    // Milestones (checkpoint-retention.ts): 1000, then the first at or past 1024, 2048 and 4096.
    for (const step of [1000, 1500, 2000, 3000, 4000, 5000]) writeCheckpoint(tempDir(), step, awkwardCheckpoint(), 2);
    expect(listCheckpoints(tempDir())).toEqual([1000, 1500, 3000, 4000, 5000]);
    // A run resumed from an earlier checkpoint writes a lower step than those on disk.
    writeCheckpoint(tempDir(), 3500, awkwardCheckpoint(), 2);
    expect(listCheckpoints(tempDir())).toEqual([1000, 1500, 3000, 3500, 5000]);
    writeCheckpoint(tempDir(), 0, awkwardCheckpoint(), 1);
    expect(fs.readdirSync(tempDir()).sort()).toEqual(['0', '1000', '1500', '3000', '5000']);
  });

  it('replaces a checkpoint written again at the same step', () => {
    writeCheckpoint(tempDir(), 8, { state: { version: 1 }, arrays: { w: new Float32Array([1]) } }, KEEP_ALL);
    writeCheckpoint(tempDir(), 8, { state: { version: 2 }, arrays: { w: new Float32Array([2, 3]) } }, KEEP_ALL);
    const loaded = loadCheckpoint(tempDir(), 8);
    expect(loaded.state).toEqual({ version: 2 });
    expect([...loaded.arrays.w]).toEqual([2, 3]);
    expect(fs.readdirSync(tempDir())).toEqual(['8']);
  });

  it('refuses bad input before touching the folder', () => {
    const ok = awkwardCheckpoint();
    expect(() => writeCheckpoint(tempDir(), -1, ok, KEEP_ALL)).toThrow('checkpoint step must be a non-negative integer, got -1');
    expect(() => writeCheckpoint(tempDir(), 1.5, ok, KEEP_ALL)).toThrow('got 1.5');
    expect(() => writeCheckpoint(tempDir(), 1, { state: undefined, arrays: {} }, KEEP_ALL)).toThrow('JSON-serializable');
    const ints = { counts: new Int32Array(2) as unknown as Float32Array };
    expect(() => writeCheckpoint(tempDir(), 1, { state: {}, arrays: ints }, KEEP_ALL)).toThrow(
      'checkpoint array "counts" must be a Float32Array or a Float64Array',
    );
    expect(fs.readdirSync(tempDir())).toEqual([]);
  });
});
