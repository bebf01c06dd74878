// Builds the Electron shell into out/: main as an ES module (out/main/index.js), the preload as
// one CommonJS file (out/preload/index.cjs: sandboxed preloads cannot load modules). Packages stay
// external to main (loaded from node_modules at run time); the preload has none to load.
// `vite build -c app/vite.config.ts --mode main|preload`.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig(({ mode }) => {
  const preload = mode === 'preload';
  return {
    root,
    publicDir: false,
    logLevel: 'warn',
    build: {
      ssr: preload ? 'app/preload.ts' : 'app/main.ts',
      outDir: preload ? 'out/preload' : 'out/main',
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: {
        output: { format: preload ? 'cjs' : 'es', entryFileNames: preload ? 'index.cjs' : 'index.js' },
      },
    },
  };
});
