/** Where the Firestore emulator is, from FIRESTORE_EMULATOR_HOST as firebase-tools sets it. */
export function emulatorAddress(): { host: string; port: number } {
  const value = process.env.FIRESTORE_EMULATOR_HOST;
  if (!value) {
    throw new Error(
      'FIRESTORE_EMULATOR_HOST is not set: emulator tests need the Firestore emulator. Run them with ' +
        '`node scripts/emulators.mjs exec -- npx vitest run --project emulator`.',
    );
  }
  // "127.0.0.1:8080", "localhost:8080" or "[::1]:8080".
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
  if (!match) throw new Error(`FIRESTORE_EMULATOR_HOST=${value} is not host:port.`);
  return { host: match[1], port: Number(match[2]) };
}
