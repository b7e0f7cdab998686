// `npm run bench` (through the emulator launcher): bench/run-all.ts, one file, nothing in parallel.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bench/run-all.ts'],
    environment: 'node',
    testTimeout: 60 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
  },
});
