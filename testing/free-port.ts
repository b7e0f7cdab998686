/**
 * A loopback TCP port nobody listens on right now, for a browser's or a driver's own server
 * (Lighthouse's debugging port, WebKitWebDriver), asked of the OS by listening on port 0.
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
