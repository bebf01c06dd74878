import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/**
 * The engine's layers, lowest first: a module imports only from its own layer or the ones before it
 * (see main/README.md). `static` is the UI build's files, served by both the recorder and serve mode.
 */
export const MAIN_LAYERS = ['rl', 'agent', 'algos', 'config', 'store', 'trainer', 'static', 'video', 'lab', 'sweep', 'serve', 'cli', 'bench'];

const layerZones = MAIN_LAYERS.slice(0, -1).map((layer, i) => ({
  target: `./main/${layer}`,
  from: MAIN_LAYERS.slice(i + 1).map((above) => `./main/${above}`),
  message: `main/${layer} sits below ${MAIN_LAYERS.slice(i + 1).join(', ')} (MAIN_LAYERS in eslint.config.js): move the shared piece down instead.`,
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'runs/', 'renderer/dist/', 'test-results/', '.svelte-kit/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['main/**/*.ts'],
    // Tests may drive a module through the layers above it (an algorithm's learning check runs the trainer's loop).
    ignores: ['**/*.test.ts', '**/*.test-support.ts'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones }] },
  },
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: tseslint.parser },
    },
  },
);
