import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sim/**/*.test.ts', 'main/**/*.test.ts', 'app/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    // The fault suite runs on its own: `npm run test:faults` (vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, '**/*.fault.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
