/**
 * The emulator project and ports are written once (.firebaserc, firebase.json, read by
 * testing/emulator-suite.mjs); the app's builds take the project from the .env files, which Vite
 * reads as they are, and the app connects to the ports in src/firebase/config.ts. This holds
 * those copies to the one source.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMULATOR_PORTS } from '../../src/firebase/config';
import { EMULATORS, EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';

const envValue = (file: string, key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'))?.[1];

describe('testing/emulator-suite.mjs', () => {
  it('reads a demo project and every emulator address', () => {
    expect(EMULATOR_PROJECT_ID).toMatch(/^demo-/);
    for (const address of Object.values(EMULATORS)) expect(address.port).toBeGreaterThan(0);
    expect(emulatorUrl('auth')).toBe(`http://${EMULATORS.auth.host}:${EMULATORS.auth.port}`);
  });

  it('is the project the emulator-wired builds name in their .env files', () => {
    for (const file of ['.env.development', '.env.emulator']) expect(envValue(file, 'VITE_FIREBASE_PROJECT_ID'), file).toBe(EMULATOR_PROJECT_ID);
  });

  it('has the ports the app connects to (src/firebase/config.ts)', () => {
    expect(EMULATOR_PORTS).toEqual({ auth: EMULATORS.auth.port, firestore: EMULATORS.firestore.port, functions: EMULATORS.functions.port });
  });
});
