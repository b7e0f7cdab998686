// `npm run screenshots`: scripts/screenshots.ts, run by vitest (which compiles the TypeScript), one file.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['scripts/screenshots.ts'],
    environment: 'node',
    testTimeout: 5 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
  },
});
