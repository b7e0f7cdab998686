/**
 * Emulator tests run only against a live Firestore emulator: this refuses to start them when
 * there is none, so the suite can never pass with the emulators down. Run them through the
 * launcher, which sets FIRESTORE_EMULATOR_HOST:
 *   node scripts/emulators.mjs exec -- npx vitest run --project emulator
 */
import { connect } from 'node:net';
import { emulatorAddress } from './emulator-address';

const CONNECT_TIMEOUT_MS = 3_000;

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export default async function setup(): Promise<void> {
  const { host, port } = emulatorAddress();
  if (!(await answers(host, port))) {
    throw new Error(
      `The Firestore emulator does not answer at ${host}:${port} (FIRESTORE_EMULATOR_HOST). ` +
        'Start the emulators with `node scripts/emulators.mjs exec -- npx vitest run --project emulator`.',
    );
  }
}
