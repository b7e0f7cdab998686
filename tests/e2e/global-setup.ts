/**
 * Browser-test setup: builds the app three times, then serves the builds on loopback the way
 * Firebase Hosting would:
 * - dist/ (build e2e-1, local-only: no Firebase config) at `appUrl`;
 * - dist-next/ (build e2e-2), the same app with another precache list, so the service worker has
 *   a real update to find;
 * - dist-emulator/ (`--mode emulator`, wired to the local Firebase emulators) at `emulatorAppUrl`.
 * E2E_SKIP_BUILD=1 reuses the builds when they all exist.
 *
 * Each server also answers POST /__e2e/serve?root=first|next|emulator, which switches what it
 * serves; tests that switch should start their own server with startStaticServer() (harness.ts
 * re-exports it), so test files running in parallel keep seeing the build they expect.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the shared server, e.g. http://127.0.0.1:4310 (no trailing slash). */
    appUrl: string;
    /** Base URL of the server of the emulator-mode build. */
    emulatorAppUrl: string;
  }
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The builds, by the name the control endpoint uses. */
export const BUILDS = {
  first: { dir: join(REPO, 'dist'), id: 'e2e-1', mode: 'production' },
  next: { dir: join(REPO, 'dist-next'), id: 'e2e-2', mode: 'production' },
  emulator: { dir: join(REPO, 'dist-emulator'), id: 'e2e-emulator', mode: 'emulator' },
} as const;
export type BuildName = keyof typeof BUILDS;

/** The shared server's port when it is free; otherwise the OS picks one. */
const PREFERRED_PORT = 4310;

/** Content types the static servers (this one, and the benchmarks') send, by file extension. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const reuse = process.env.E2E_SKIP_BUILD === '1' && Object.values(BUILDS).every((b) => existsSync(b.dir));
  if (!reuse) {
    for (const build of Object.values(BUILDS)) await buildApp(build);
  }
  const server = await startStaticServer({ port: PREFERRED_PORT });
  const emulatorServer = await startStaticServer({ build: 'emulator' });
  project.provide('appUrl', server.url);
  project.provide('emulatorAppUrl', emulatorServer.url);
  return async () => {
    await Promise.all([server.close(), emulatorServer.close()]);
  };
}

/**
 * `vite build` into a staging folder, then swapped into place, so a second test run in the same
 * checkout never serves a half-emptied dist/.
 */
async function buildApp({ dir: outDir, id: buildId, mode }: (typeof BUILDS)[BuildName]): Promise<void> {
  const staging = `${outDir}-staging-${process.pid}`;
  const old = `${outDir}-old-${process.pid}`;
  const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--mode', mode, '--outDir', staging, '--emptyOutDir'], {
      cwd: REPO,
      // vitest sets NODE_ENV=test, which would make this a non-production build (no worker).
      env: { ...process.env, NODE_ENV: 'production', APP_BUILD_ID: buildId },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build (${buildId}) exited with ${code}:\n${log}`))));
  });
  await rename(outDir, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(staging, outDir);
  await rm(old, { recursive: true, force: true });
}

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Switches the served build (what POST /__e2e/serve?root=... does). */
  serve(build: BuildName): void;
  close(): Promise<void>;
}

/**
 * A static server for a build, like Firebase Hosting: files as they are, other extension-less
 * paths rewritten to index.html, no-cache on everything but the hashed assets. port 0 (the
 * default) lets the OS pick a free port.
 */
export async function startStaticServer(options: { port?: number; build?: BuildName } = {}): Promise<StaticServer> {
  let current: BuildName = options.build ?? 'first';
  const server = createServer((request, response) => {
    handle(request, response, BUILDS[current].dir, (build) => (current = build)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(options.port ?? 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await listen(0);
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    serve: (build) => {
      current = build;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  root: string,
  switchTo: (build: BuildName) => void,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');

  if (url.pathname === '/__e2e/serve') {
    const build = url.searchParams.get('root');
    if (request.method !== 'POST') return void response.writeHead(405, { Allow: 'POST' }).end();
    if (!build || !Object.hasOwn(BUILDS, build)) return void response.writeHead(400).end(`root must be one of ${Object.keys(BUILDS).join(', ')}`);
    switchTo(build as BuildName);
    return void response.writeHead(204).end();
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return void response.writeHead(400).end();
  }
  let file = join(root, normalize(pathname));
  if (file !== root && !file.startsWith(root + sep)) return void response.writeHead(404).end();
  if ((await stat(file).catch(() => undefined))?.isDirectory()) file = join(file, 'index.html');

  let body = await readFile(file).catch(() => undefined);
  // The SPA rewrite: app routes like /share get the shell. Missing files (a dotted last segment)
  // and Firebase's reserved /__/ paths stay 404, so a broken chunk reference shows up as one.
  if (!body && !pathname.startsWith('/__/') && !/\.[^/]*$/.test(pathname)) {
    file = join(root, 'index.html');
    body = await readFile(file).catch(() => undefined);
  }
  if (!body) return void response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');

  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': file.startsWith(join(root, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
