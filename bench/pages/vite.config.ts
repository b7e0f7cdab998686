// Builds the Firestore SDK baseline page (bench only; never part of the app's dist).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    target: 'es2022',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2_000,
    rolldownOptions: {
      input: { 'firestore-baseline': fileURLToPath(new URL('./firestore-baseline.html', import.meta.url)) },
      // A fixed name, so a benchmark can load the module into another page.
      output: { entryFileNames: 'assets/[name].js' },
    },
  },
});
