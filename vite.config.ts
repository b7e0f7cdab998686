/**
 * Build config: the app, and the one service worker (sw/sw.ts) through vite-plugin-pwa's
 * injectManifest strategy, plus the web app manifest.
 */
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { inlineEntryCss } from './scripts/inline-entry-css.js';
import { inlineFirstScreen } from './scripts/inline-first-screen.js';
import { minifyCssLiterals } from './scripts/minify-css-literals.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/** Shown in the UI; CI and the browser tests set APP_BUILD_ID so two builds differ. */
const appVersion = process.env.APP_BUILD_ID ?? pkg.version;

/** The page background (--rn-bg in src/theme.css) so splash screen, title bar and app match. */
const PAPER = '#faf7f0';

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  resolve: {
    alias: [
      // Dexie's default import is its ES5 UMD bundle behind a wrapper; its ES2021 build is the same
      // code about 4 KB (gzip) smaller, and the notes need Dexie before the first paint. Only this
      // build (the app and its worker) uses it; the node tests keep the package's default entry.
      { find: /^dexie$/, replacement: 'dexie/dist/modern/dexie.mjs' },
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Chromium, Firefox and Safari 17+ preload modules themselves. The polyfill would add its bytes
    // to every first paint for the few older Safaris, which without it fetch a lazy part's
    // modules when it is imported instead of ahead: a little later, never wrongly.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Everything the first paint needs in one chunk (beside the entry's few lines): left to
          // itself the bundler spreads it over several small shared chunks, each one more request
          // and each compressed on its own. The lazily loaded parts import from this chunk.
          groups: [{ name: 'shell', tags: ['$initial'] }],
        },
      },
    },
  },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  plugins: [
    minifyCssLiterals(),
    inlineEntryCss(),
    inlineFirstScreen(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // src/pwa/register.ts registers the worker after first paint; no generated registerSW.js.
      injectRegister: false,
      // The person decides when a new version takes over (src/ui/update-prompt.ts).
      registerType: 'prompt',
      injectManifest: {
        // Everything the app needs to start offline: the shell, the chunks, the icons. Not *.map
        // (devtools fetch those on demand) and not sw.js itself. manifest.webmanifest is not
        // globbed because the plugin always lists it itself; globbing it (or the manifest icons,
        // see includeManifestIcons) would list it twice. tests/e2e/build-output.test.ts checks.
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        globIgnores: ['**/*.map', 'sw.js'],
      },
      includeManifestIcons: false,
      manifest: {
        name: 'Roaming Notes',
        short_name: 'Notes',
        description: 'Sticky notes and to-dos that work offline and roam across your devices.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        lang: 'en',
        background_color: PAPER,
        theme_color: PAPER,
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        shortcuts: [
          {
            name: 'New note',
            url: '/?action=new-note',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
        ],
        // Read by src/ui/launch-intent.ts; GET so it works offline from the precached shell.
        share_target: {
          action: '/share',
          method: 'GET',
          // Chromium warns about the manifest when it is left out, even for GET.
          enctype: 'application/x-www-form-urlencoded',
          params: { title: 'title', text: 'text', url: 'url' },
        },
      },
    }),
  ],
});
