/**
 * The benchmarks' static servers: a build served like Firebase Hosting (testing/static-server.ts),
 * compressed as Hosting sends it, with optional extra folders mounted under a prefix: the roaming
 * benchmark loads the Firestore baseline module into a device's app page from the app's own origin.
 */
import { serveStatic, type StaticServer } from '../../testing/static-server.js';

export type BenchServer = StaticServer;

export function serveFolder(root: string, mounts: Record<string, string> = {}): Promise<BenchServer> {
  return serveStatic({ root: () => root, mounts, compress: true });
}
