/**
 * A static server for a build, like Firebase Hosting (SPA rewrite, immutable hashed assets), with
 * optional extra folders mounted under a prefix: the roaming benchmark loads the Firestore
 * baseline module into a device's app page from the app's own origin.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_TYPES } from '../../tests/e2e/global-setup.js';

export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

export async function serveFolder(root: string, mounts: Record<string, string> = {}): Promise<BenchServer> {
  const server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      let base = root;
      let rest = pathname;
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (pathname.startsWith(prefix)) [base, rest] = [dir, pathname.slice(prefix.length - 1)];
      }
      let file = join(base, normalize(rest));
      if (file !== base && !file.startsWith(base + sep)) return void response.writeHead(404).end();
      if ((await stat(file).catch(() => undefined))?.isDirectory()) file = join(file, 'index.html');
      let body = await readFile(file).catch(() => undefined);
      if (!body && !/\.[^/]*$/.test(rest)) body = await readFile((file = join(base, 'index.html'))).catch(() => undefined);
      if (!body) return void response.writeHead(404).end('Not found');
      response.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': rest.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
