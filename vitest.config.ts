import { defineConfig } from 'vitest/config';

// One runner, three layers: unit tests in node with fake-indexeddb, emulator tests against the
// real Firebase emulators, and browser tests driving Debian Chromium through playwright-core.
export default defineConfig({
  test: {
    allowOnly: false,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts'],
          setupFiles: ['fake-indexeddb/auto'],
          globalSetup: ['tests/unit/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file launches its own Chromium; two cores run two files at once at most.
          maxWorkers: 2,
          // Projects with their own worker limits run as separate groups, one after another.
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'emulator',
          environment: 'node',
          include: ['tests/emulator/**/*.test.ts'],
          // Refuses to run without a live Firestore emulator: run through scripts/emulators.mjs exec.
          globalSetup: ['tests/emulator/global-setup.ts'],
          testTimeout: 30_000,
          // One emulator, shared state (clearFirestore between tests): one file at a time.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'bench-smoke',
          environment: 'node',
          // Every benchmark on tiny inputs (bench/smoke.test.ts); `npm run bench` runs them for real.
          include: ['bench/smoke.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // Its own builds, Chromium and emulator state: one file, after the other groups.
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
