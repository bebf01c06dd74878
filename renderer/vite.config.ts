// Builds the UI into renderer/dist: served by `gaitlab serve`, loaded from disk by the Electron app
// (hence relative asset paths). record.html is the page `gaitlab record` renders videos in.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // three.js alone is ~600 kB minified; one chunk per library keeps the app chunk small.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        record: fileURLToPath(new URL('record.html', import.meta.url)),
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'three', test: /node_modules[\\/]three/ },
            { name: 'uplot', test: /node_modules[\\/]uplot/ },
          ],
        },
      },
    },
  },
});
