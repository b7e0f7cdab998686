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
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { serveStatic, type StaticServer } from '../../testing/static-server.js';

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

export interface SwitchableServer extends StaticServer {
  /** Switches the served build (what POST /__e2e/serve?root=... does). */
  serve(build: BuildName): void;
  /**
   * Offline (true): every request's connection is dropped unanswered, as when the host cannot be
   * reached, in every engine alike (a browser's own offline switch is Chromium-only).
   */
  setOffline(offline: boolean): void;
}

/**
 * A Hosting-like static server (testing/static-server.ts) for a build, that also answers
 * POST /__e2e/serve?root=first|next|emulator by switching the build it serves. port 0 (the
 * default) lets the OS pick a free port.
 */
export async function startStaticServer(options: { port?: number; build?: BuildName } = {}): Promise<SwitchableServer> {
  let current: BuildName = options.build ?? 'first';
  let offline = false;
  const server = await serveStatic({
    root: () => BUILDS[current].dir,
    port: options.port ?? 0,
    control: (request, url, response) => {
      if (offline) {
        request.socket.destroy();
        return true;
      }
      if (url.pathname !== '/__e2e/serve') return false;
      const build = url.searchParams.get('root');
      if (request.method !== 'POST') response.writeHead(405, { Allow: 'POST' }).end();
      else if (!build || !Object.hasOwn(BUILDS, build)) response.writeHead(400).end(`root must be one of ${Object.keys(BUILDS).join(', ')}`);
      else {
        current = build as BuildName;
        response.writeHead(204).end();
      }
      return true;
    },
  });
  return {
    ...server,
    serve: (build) => {
      current = build;
    },
    setOffline: (value) => {
      offline = value;
    },
  };
}
