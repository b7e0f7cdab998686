// Benchmarks are not part of the test gate: run them on purpose, against the emulators, e.g.
//   node scripts/emulators.mjs exec -- npx vitest run --config bench/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bench/push-fanout.ts'],
    environment: 'node',
    testTimeout: 300_000,
    fileParallelism: false,
  },
});
