/**
 * A static server for a build, the way Firebase Hosting serves it (firebase.json): files as they
 * are, other extension-less paths rewritten to index.html (the SPA rewrite), no-cache on
 * everything but the hashed assets, and (with `compress`) text gzipped for a client that accepts
 * it, as Hosting does. Shared by the browser tests (which switch builds through a control route)
 * and the benchmarks (which mount extra folders under a prefix, and compress: Lighthouse's
 * simulated network would otherwise charge the page for bytes Hosting never sends).
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Content types sent, by file extension. */
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

export interface StaticServerOptions {
  /** The folder served, asked for on every request (so a test can switch builds). */
  root: () => string;
  /** Extra folders served under a path prefix ending in "/", e.g. { '/__bench/': dir }. */
  mounts?: Record<string, string>;
  /** Tried first; returns true when it answered the request itself. */
  control?: (request: IncomingMessage, url: URL, response: ServerResponse) => boolean;
  /** Port to listen on when it is free; 0 (the default) or a taken port lets the OS pick. */
  port?: number;
  /** Gzip text responses when the client accepts gzip (Hosting does); off by default. */
  compress?: boolean;
}

/** The content types Hosting compresses: text, scripts, JSON, the manifest and SVG. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|manifest\+json)|image\/svg\+xml)/;

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveStatic(options: StaticServerOptions): Promise<StaticServer> {
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: StaticServerOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (options.control?.(request, url, response)) return;
  if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return void response.writeHead(400).end();
  }
  let root = options.root();
  for (const [prefix, dir] of Object.entries(options.mounts ?? {})) {
    if (pathname.startsWith(prefix)) [root, pathname] = [dir, pathname.slice(prefix.length - 1)];
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

  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  const gzip = options.compress === true && COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (gzip) body = gzipSync(body);
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': file.startsWith(join(root, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
