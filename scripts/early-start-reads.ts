/**
 * A build step (Vite plugin) that begins the start's reads before the app's bundle has loaded:
 * src/boot.ts (the device id, the last account, the board's first notes; plain IndexedDB, about
 * 1 KB gzipped) runs as a script of its own that index.html loads ahead of the app's module. It
 * runs as soon as it arrives, while the bundle (some 180 KB) is still being loaded and compiled,
 * so IndexedDB can answer during that time instead of after it; the app's modules then find the
 * reads on the page (src/platform/start-reads.ts), and the bundle carries no code to begin them.
 *
 * In the production build it is a classic script (`async`, so it runs the moment it arrives),
 * built on its own and hashed like every asset, so the precache and the host keep it. A file
 * rather than inline code: the CSP allows scripts from the app's origin only (firebase.json).
 * The dev server serves the module as it is, in a module script before the app's.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import type { Plugin } from 'vite';

const EARLY_ENTRY = fileURLToPath(new URL('../src/boot.ts', import.meta.url));

/** src/boot.ts and what it imports, as one self-contained classic script. */
export async function buildEarlyScript(): Promise<string> {
  const bundle = await rolldown({ input: EARLY_ENTRY, platform: 'browser', logLevel: 'warn' });
  try {
    const { output } = await bundle.generate({ format: 'iife', minify: true });
    const [chunk, ...rest] = output;
    if (!chunk || rest.some((file) => file.type === 'chunk')) throw new Error('src/boot.ts must build to one script with no imports');
    return chunk.code;
  } finally {
    await bundle.close();
  }
}

/** `html` with `tag` placed just before its first module script (the app's entry). */
function beforeAppModule(html: string, tag: string): string {
  const appModule = html.search(/<script type="module"/);
  if (appModule < 0) throw new Error('index.html has no module script to begin the start reads ahead of');
  return `${html.slice(0, appModule)}${tag}\n    ${html.slice(appModule)}`;
}

export function earlyStartReads(): Plugin {
  let building = false;
  let fileName: string | undefined;
  return {
    name: 'early-start-reads',
    configResolved(config) {
      building = config.command === 'build';
    },
    async buildStart() {
      if (!building) return;
      const code = await buildEarlyScript();
      fileName = `assets/start-reads-${createHash('sha256').update(code).digest('base64url').slice(0, 8)}.js`;
      this.emitFile({ type: 'asset', fileName, source: code });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (!building) return beforeAppModule(html, '<script type="module" src="/src/boot.ts"></script>');
        if (!fileName) throw new Error('the start reads script was not built');
        return beforeAppModule(html, `<script async src="/${fileName}"></script>`);
      },
    },
  };
}
