/**
 * A network switch for a browser whose driver has none: a forwarding HTTP proxy the browser is told
 * to use for every request (W3C WebDriver's `proxy` capability, which WebKitWebDriver honours),
 * that passes traffic through while on and, turned off, drops every open connection and refuses
 * new ones, as a lost network does. The page cannot tell it from the network: its requests fail.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface NetworkSwitch {
  /** `host:port` of the proxy, as the `proxy` capability takes it. */
  readonly address: string;
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

/** Headers that describe one hop, not the request: a proxy does not pass them on (RFC 9110, 7.6.1). */
const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'upgrade'];

export async function startNetworkSwitch(): Promise<NetworkSwitch> {
  let offline = false;
  // Every connection either side of the proxy: going offline ends them all.
  const open = new Set<Duplex>();
  const track = (socket: Duplex) => {
    // A kept-alive upstream socket serves many requests: it is tracked once.
    if (open.has(socket)) return;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // A connection cut on purpose errors on the other side: that is the point, not a failure here.
    socket.on('error', () => socket.destroy());
  };

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (offline) return void incoming.socket.destroy();
    const target = new URL(incoming.url ?? '/');
    const headers = { ...incoming.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const upstream = request(
      { hostname: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: incoming.method, headers },
      (response) => {
        const answer = { ...response.headers };
        for (const name of HOP_BY_HOP) delete answer[name];
        outgoing.writeHead(response.statusCode ?? 502, answer);
        response.pipe(outgoing);
      },
    );
    upstream.on('socket', track);
    upstream.on('error', () => incoming.socket.destroy());
    incoming.pipe(upstream);
  };

  const server = createServer(forward);
  server.on('connection', (socket: Socket) => {
    if (offline) return void socket.destroy();
    track(socket);
  });
  // Tunnels (CONNECT), for anything the browser sends that way.
  server.on('connect', (incoming: IncomingMessage, client: Duplex, head: Buffer) => {
    if (offline) return void client.destroy();
    const [host, port] = (incoming.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    track(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  return {
    address: `127.0.0.1:${port}`,
    setOffline(value) {
      offline = value;
      if (offline) for (const socket of open) socket.destroy();
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
