/**
 * `npm run build`: bundles the engine's entry points (everything that starts as a process or a
 * thread of its own) into out/engine/, one file each named after its source (engineEntry in
 * sim/core/engine-entry.ts finds them there), with the code they share in chunks beside them.
 * Packages stay external, loaded from node_modules at run time: Rapier's inlined wasm, tfjs's
 * .wasm files (found next to its package) and playwright-core work as installed. Lazy imports stay
 * lazy (their own chunks), so `gaitlab --help` loads none of the training code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { BUILT_ENGINE_DIR, PACKAGE_ROOT, builtEntryPath } from '../sim/core/engine-entry.ts';

/** Sources of the entry points, from the package root: each is started with engineEntry(source). */
const ENTRIES = [
  'main/cli/cli.ts',
  'main/trainer/trainer-process.ts',
  'main/trainer/player-process.ts',
  'main/video/record-process.ts',
  'main/video/electron-record.mjs',
  'sim/core/vec-env-worker.ts',
];

const outdir = path.join(PACKAGE_ROOT, BUILT_ENGINE_DIR);
const entryPoints = Object.fromEntries(ENTRIES.map((source) => [path.posix.basename(builtEntryPath(source), '.js'), path.join(PACKAGE_ROOT, source)]));
if (Object.keys(entryPoints).length !== ENTRIES.length) throw new Error('two entry points share a base name; their built files would collide');

fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  // Flat: every built module sits two folders below the package root, as its source does (see engine-entry.ts).
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .reduce((sum, [, output]) => sum + output.bytes, 0);
console.log(`built the engine into ${BUILT_ENGINE_DIR}/: ${ENTRIES.length} entry points, ${(bytes / 1024).toFixed(0)} KiB of JavaScript`);
