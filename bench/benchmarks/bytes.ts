/**
 * 3. Bytes: JavaScript the production build makes a browser load before first paint (index.html's
 * module script, its modulepreloads and every static import below them) and in total (plus every
 * dynamic import, followed the same way), gzipped at level 9 as a host would serve it. Each
 * chunk's source map says which packages are in it, so "Firebase loaded after" is checked, not
 * assumed. Baseline: the Firebase SDK chunks alone, gzipped (what loading Firebase up front
 * would add to first paint).
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { init, parse } from 'es-module-lexer';
import { BENCH_BUILDS } from '../lib/builds.js';
import type { BenchContext } from '../lib/context.js';
import { round, type BenchResult } from '../lib/results.js';

const TARGET_KB = 60;
const FIREBASE = /node_modules\/(?:firebase|@firebase)\//;

interface Chunk {
  file: string;
  gzipBytes: number;
  firebase: boolean;
  staticImports: string[];
  dynamicImports: string[];
}

async function readChunk(dir: string, file: string): Promise<Chunk> {
  const code = await readFile(join(dir, file), 'utf8');
  const [imports] = parse(code);
  const resolve = (specifier: string) => posix.normalize(posix.join(posix.dirname(file), specifier));
  const staticImports: string[] = [];
  const dynamicImports: string[] = [];
  for (const entry of imports) {
    if (!entry.n || !entry.n.startsWith('.')) continue;
    (entry.d === -1 ? staticImports : dynamicImports).push(resolve(entry.n));
  }
  const map = JSON.parse(await readFile(join(dir, `${file}.map`), 'utf8').catch(() => '{"sources":[]}')) as { sources: string[] };
  return { file, gzipBytes: gzipSync(code, { level: 9 }).length, firebase: map.sources.some((s) => FIREBASE.test(s)), staticImports, dynamicImports };
}

/** Every chunk reachable from `roots`, through static imports only or through all imports. */
async function graph(dir: string, roots: string[], withDynamic: boolean, cache: Map<string, Chunk>): Promise<Chunk[]> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!cache.has(file)) cache.set(file, await readChunk(dir, file));
    const chunk = cache.get(file)!;
    queue.push(...chunk.staticImports, ...(withDynamic ? chunk.dynamicImports : []));
  }
  return [...seen].map((file) => cache.get(file)!);
}

export async function measureBytes(dir: string) {
  await init;
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const roots = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g),
  ].map((m) => m[1]!);
  if (roots.length === 0) throw new Error('index.html has no module script');
  const cache = new Map<string, Chunk>();
  const before = await graph(dir, roots, false, cache);
  const all = await graph(dir, roots, true, cache);
  const kb = (chunks: Chunk[]) => round(chunks.reduce((sum, c) => sum + c.gzipBytes, 0) / 1024);
  return { roots, before, all, beforeKb: kb(before), totalKb: kb(all), firebaseKb: kb(all.filter((c) => c.firebase)) };
}

export async function bytes(_context: BenchContext): Promise<BenchResult> {
  const app = await measureBytes(BENCH_BUILDS.app);
  const emulator = await measureBytes(BENCH_BUILDS.emulator);
  const firebaseBefore = [...app.before, ...emulator.before].some((c) => c.firebase);
  const met = app.beforeKb <= TARGET_KB && emulator.beforeKb <= TARGET_KB && !firebaseBefore;
  const list = (chunks: Chunk[]) => chunks.map((c) => ({ file: c.file, gzipKb: round(c.gzipBytes / 1024), firebase: c.firebase }));
  return {
    id: 'bytes',
    title: 'JavaScript before first paint and in total (gzip -9)',
    status: 'ok',
    figures: {
      beforeFirstPaintKb: emulator.beforeKb,
      totalKb: emulator.totalKb,
      firebaseBeforeFirstPaintKb: round([...emulator.before].filter((c) => c.firebase).reduce((s, c) => s + c.gzipBytes, 0) / 1024),
      localOnlyBuildBeforeFirstPaintKb: app.beforeKb,
    },
    baseline: { what: 'the Firebase SDK chunks alone (what loading Firebase before first paint would add)', figures: { firebaseKb: emulator.firebaseKb } },
    target: {
      text: `<= ${TARGET_KB} KB before first paint, Firebase after`,
      met,
      margin: `${round(Math.abs(TARGET_KB - emulator.beforeKb))} KB ${emulator.beforeKb <= TARGET_KB ? 'under' : 'over'}; Firebase ${firebaseBefore ? 'IS' : 'is not'} loaded before first paint`,
    },
    details: { build: 'vite build --mode emulator (the Firebase-wired build)', beforeFirstPaint: list(emulator.before), afterFirstPaint: list(emulator.all.filter((c) => !emulator.before.includes(c))) },
  };
}
