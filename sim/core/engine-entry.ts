/**
 * Where a part of the engine that starts on its own (the CLI, a trainer or recorder process, an env
 * worker thread) starts from, in either layout the package runs in:
 * - from source (a checkout: `npm test`, the benches, bin/run-ts.js): the TypeScript file itself,
 *   run through tsx's loader;
 * - built (the installed package, the desktop app): the JavaScript that `npm run build`
 *   (scripts/build-engine.ts) bundles into out/engine/, one file per entry, named after its source.
 * The layout is this module's own: as a .ts file it runs from source, inside a bundle it runs built.
 * Node-only: sim/index.ts does not export it.
 *
 * Every layout keeps its modules two folders below the package root (main/<dir>/, sim/<dir>/,
 * out/engine/, the app's out/main/), so a module's `new URL('../../assets/…', import.meta.url)`
 * names the same file in all of them; the build keeps out/engine flat to hold to that.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where `npm run build` writes the engine, from the package root. */
export const BUILT_ENGINE_DIR = 'out/engine';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

export interface EngineEntry {
  /** The file to start, absolute. */
  file: string;
  /** Node flags a process needs to run it: tsx's loader for TypeScript, none for built JavaScript. */
  execArgv: string[];
  /** The URL of tsx's ESM API for a worker thread to register first (workers do not inherit the loader), or null when built. */
  tsxApi: string | null;
}

/** The built file of an entry: out/engine/<the source's base name>.js. */
export function builtEntryPath(source: string): string {
  return path.posix.join(BUILT_ENGINE_DIR, `${path.posix.basename(source, path.posix.extname(source))}.js`);
}

/** `source`: the entry's source file from the package root, e.g. 'main/trainer/trainer-process.ts'. */
export function engineEntry(source: string): EngineEntry {
  if (!FROM_SOURCE) return { file: path.join(PACKAGE_ROOT, builtEntryPath(source)), execArgv: [], tsxApi: null };
  // Resolved only here: the built engine runs without tsx installed.
  const require = createRequire(import.meta.url);
  return {
    file: path.join(PACKAGE_ROOT, source),
    // By absolute URL, so they work whatever the working directory.
    execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
    tsxApi: import.meta.resolve('tsx/esm/api'),
  };
}

/** Node's arguments that start an entry with `args`: `spawn(process.execPath, nodeArgs(entry, args))`. */
export function nodeArgs(entry: EngineEntry, args: readonly string[]): string[] {
  return [...entry.execArgv, entry.file, ...args];
}
