/**
 * The builds the benchmarks measure, made fresh for every run into dist-bench/ (git-ignored, and
 * apart from the browser tests' dist/ so a test run in the same checkout never swaps them away):
 * - app: the production build as users get it (local-only: no Firebase settings);
 * - emulator: the production build wired to the local emulators (`--mode emulator`);
 * - baseline: the plain Firestore SDK page of bench/pages (never part of the app's dist).
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const OUT = join(REPO, 'dist-bench');

export const BENCH_BUILDS = {
  app: join(OUT, 'app'),
  emulator: join(OUT, 'emulator'),
  baseline: join(OUT, 'baseline'),
} as const;

function vite(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', ...args], {
      cwd: REPO,
      // vitest sets NODE_ENV=test, which would make a non-production build (no service worker).
      env: { ...process.env, NODE_ENV: 'production', APP_BUILD_ID: 'bench' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build ${args.join(' ')} exited with ${code}:\n${log}`))));
  });
}

export async function buildAll(): Promise<void> {
  await vite(['--mode', 'production', '--outDir', BENCH_BUILDS.app, '--emptyOutDir']);
  await vite(['--mode', 'emulator', '--outDir', BENCH_BUILDS.emulator, '--emptyOutDir']);
  await vite(['--config', join(REPO, 'bench', 'pages', 'vite.config.ts'), '--outDir', BENCH_BUILDS.baseline, '--emptyOutDir']);
  // Lighthouse's baseline: a page with nothing to load, so its scores are this machine's ceiling.
  await writeFile(
    join(BENCH_BUILDS.baseline, 'blank.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<meta name="description" content="An empty page"><title>Blank</title></head><body><h1>Blank</h1><p>Nothing to load.</p></body></html>\n',
  );
}
