import { defineConfig } from 'vitest/config';

// The fault suite (`npm run test:faults`): real processes killed, signalled and starved of disk;
// minutes of work, so kept out of `npm run test:unit` (vitest.config.ts) and run by .ci/run.
export default defineConfig({
  test: {
    include: ['main/**/*.fault.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
