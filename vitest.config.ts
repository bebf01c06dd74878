import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['sim/**/*.test.ts', 'main/**/*.test.ts', 'app/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    // The fault suite runs on its own: `npm run test:faults` (vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, '**/*.fault.test.ts'],
    pool: 'forks',
    // A guard against a hung test, not a speed check: a learning check that takes 15 s on an idle
    // machine took over 60 s on one kept busy by other work, and failed there.
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
