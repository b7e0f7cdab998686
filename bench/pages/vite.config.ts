// Builds the bench pages (bench only; never part of the app's dist): the Firestore SDK baseline
// page, wired like the emulator build of the app (its .env.emulator options and the emulator
// suite's addresses), and the app's merge of a page of remote notes.
import { fileURLToPath } from 'node:url';
import { defineConfig, loadEnv } from 'vite';
import { EMULATORS, EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';

const appEnv = loadEnv('emulator', fileURLToPath(new URL('../../', import.meta.url)), 'VITE_');
const projectId = appEnv.VITE_FIREBASE_PROJECT_ID;
const apiKey = appEnv.VITE_FIREBASE_API_KEY;
if (projectId !== EMULATOR_PROJECT_ID || !apiKey) {
  throw new Error(`.env.emulator must name the emulator project ${EMULATOR_PROJECT_ID} and an API key (it names ${projectId ?? 'none'}).`);
}

export default defineConfig({
  define: {
    __BASELINE_FIREBASE__: JSON.stringify({
      options: { projectId, apiKey, authDomain: `${projectId}.firebaseapp.com` },
      authUrl: emulatorUrl('auth'),
      firestore: { host: EMULATORS.firestore.host, port: EMULATORS.firestore.port },
    }),
  },
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    target: 'es2022',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2_000,
    rolldownOptions: {
      input: {
        'firestore-baseline': fileURLToPath(new URL('./firestore-baseline.html', import.meta.url)),
        'merge-page': fileURLToPath(new URL('./merge-page.html', import.meta.url)),
      },
      // A fixed name, so a benchmark can load the module into another page.
      output: { entryFileNames: 'assets/[name].js' },
    },
  },
});
