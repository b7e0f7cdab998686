/**
 * What the production build hands the service worker to precache, and the web app manifest,
 * read from dist/ as global-setup.ts built it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const read = (file: string) => readFileSync(join(dist, file), 'utf8');

/** The list workbox-build injected in place of self.__WB_MANIFEST. */
function precachedUrls(): string[] {
  const sw = read('sw.js');
  expect(sw).not.toContain('self.__WB_MANIFEST');
  const list = /\[\{"revision":[^\]]*\]/.exec(sw);
  expect(list, 'precache manifest in sw.js').not.toBeNull();
  return (JSON.parse(list![0]) as { url: string; revision: string | null }[]).map((entry) => entry.url);
}

describe('service worker precache', () => {
  const urls = precachedUrls();

  it('is a classic worker script: no module syntax a service worker would refuse to evaluate', () => {
    // A module the worker shares with the app that loads another with import() brings the
    // bundler's preload helper (import.meta) along, and the worker's evaluation fails on it.
    const sw = read('sw.js');
    expect(sw).not.toMatch(/\bimport\.meta\b/);
    expect(sw).not.toMatch(/\bimport\s*\(/);
    expect(sw).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('holds the shell, the manifest and the icons', () => {
    expect(urls).toEqual(
      expect.arrayContaining(['index.html', 'manifest.webmanifest', 'favicon.svg', 'icons/icon-192.png', 'icons/icon-512.png', 'icons/maskable-512.png']),
    );
  });

  it('holds the entry chunks index.html loads and every built script and stylesheet', () => {
    const referenced = [...read('index.html').matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(referenced.some((file) => file.endsWith('.js'))).toBe(true);
    const built = readdirSync(join(dist, 'assets'))
      .filter((file) => /\.(js|css)$/.test(file))
      .map((file) => `assets/${file}`);
    expect(urls).toEqual(expect.arrayContaining([...referenced, ...built]));
  });

  it('lists each file once, and neither the worker nor source maps', () => {
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls).not.toContain('sw.js');
    expect(urls.filter((url) => url.endsWith('.map'))).toEqual([]);
  });
});

describe('first-paint bundle', () => {
  /** The chunks index.html loads and everything they import statically (what the first paint waits for). */
  function firstPaintChunks(): string[] {
    const html = read('index.html');
    const queue = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const seen = new Set<string>();
    while (queue.length) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const m of read(file).matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w${},*\s]*from\s*)?["'`]\.\/([^"'`]+\.js)["'`]/g)) queue.push(`assets/${m[1]}`);
    }
    return [...seen];
  }

  it('carries the shell stylesheet inline, so the first paint waits for no stylesheet request', () => {
    const html = read('index.html');
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    expect(html).toMatch(/<style>[^<]*--rn-bg:[^<]*<\/style>/);
  });

  it('loads workbox-window only on demand, after first paint', () => {
    expect(read('index.html')).not.toContain('workbox-window');
    const first = firstPaintChunks();
    expect(first.length).toBeGreaterThan(0);
    expect(first.filter((file) => file.includes('workbox-window'))).toEqual([]);
    const lazy = readdirSync(join(dist, 'assets'))
      .filter((file) => file.endsWith('.js') && !first.includes(`assets/${file}`))
      .map((file) => read(`assets/${file}`));
    expect(lazy.some((code) => /import\(\s*["'`]\.\/workbox-window[^"'`]*\.js["'`]\s*\)/.test(code))).toBe(true);
  });
});

describe('web app manifest', () => {
  const manifest = JSON.parse(read('manifest.webmanifest')) as {
    name: string;
    short_name: string;
    id: string;
    start_url: string;
    scope: string;
    display: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
    shortcuts: { name: string; url: string; icons?: { src: string }[] }[];
    share_target: { action: string; method: string; enctype: string; params: Record<string, string> };
  };

  it('names the app and opens it standalone at the root', () => {
    expect(manifest).toMatchObject({ name: 'Roaming Notes', short_name: 'Notes', id: '/', start_url: '/', scope: '/', display: 'standalone' });
  });

  it('has 192 and 512 icons and a maskable 512 icon, all present in the build', () => {
    const icon = (sizes: string, purpose: string) => manifest.icons.find((i) => i.sizes === sizes && (i.purpose ?? 'any').split(' ').includes(purpose));
    expect(icon('192x192', 'any')).toBeDefined();
    expect(icon('512x512', 'any')).toBeDefined();
    expect(icon('512x512', 'maskable')).toBeDefined();
    for (const { src, sizes, type } of manifest.icons) {
      expect(type).toBe('image/png');
      // A real PNG of the declared size: the signature, then IHDR width and height.
      const png = readFileSync(join(dist, src));
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(sizes);
    }
  });

  it('has the "New note" shortcut and the share target the app reads', () => {
    expect(manifest.shortcuts).toEqual([expect.objectContaining({ name: 'New note', url: '/?action=new-note' })]);
    expect(manifest.share_target).toEqual({
      action: '/share',
      method: 'GET',
      enctype: 'application/x-www-form-urlencoded',
      params: { title: 'title', text: 'text', url: 'url' },
    });
  });
});
