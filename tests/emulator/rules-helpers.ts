/**
 * Shared set-up for the security rules tests: the test environment on the running Firestore
 * emulator with this repository's firestore.rules, and builders for valid documents that each
 * test then breaks in exactly one way.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { initializeTestEnvironment, type RulesTestContext, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { Timestamp, doc, serverTimestamp, setDoc, setLogLevel, type DocumentData, type Firestore } from 'firebase/firestore';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DEFAULT_NOTE_COLOR } from '../../src/shared/note';
import { EMULATOR_PROJECT_ID } from '../../testing/emulator-suite.mjs';
import { emulatorAddress } from './emulator-address';

export const PROJECT_ID = EMULATOR_PROJECT_ID;
export const RULES_PATH = new URL('../../firestore.rules', import.meta.url);

export const ALICE = 'alice';
export const BOB = 'bob';

/** A moment well in the past: a client-chosen time the rules must not take for request.time. */
export const FIXED_TIME = Timestamp.fromDate(new Date('2024-01-02T03:04:05Z'));
export const CREATED_AT = Timestamp.fromDate(new Date('2025-06-01T12:00:00Z'));

export async function createRulesEnvironment(): Promise<RulesTestEnvironment> {
  const { host, port } = emulatorAddress();
  // Every denied write is also logged by the SDK as a stream warning; the assertions say it all.
  setLogLevel('error');
  return initializeTestEnvironment({
    projectId: PROJECT_ID,
    firestore: { rules: readFileSync(RULES_PATH, 'utf8'), host, port },
  });
}

/**
 * The context's Firestore for the modular API. rules-unit-testing types it as the compat
 * instance, which the modular functions accept (they unwrap it), but TypeScript does not know that.
 */
export function db(context: RulesTestContext): Firestore {
  return context.firestore() as unknown as Firestore;
}

/** A note as a client writes it: every field, updatedAt by the server. */
export function noteData(overrides: DocumentData = {}): DocumentData {
  return {
    text: 'Pick up milk',
    color: DEFAULT_NOTE_COLOR,
    pinned: false,
    done: false,
    trashed: false,
    deleted: false,
    createdAt: CREATED_AT,
    updatedAt: serverTimestamp(),
    updatedBy: 'device-desktop',
    clocks: { text: '0000018f2a1b3c4d:0000:device-desktop' },
    ...overrides,
  };
}

/** A note as it sits in Firestore after an earlier write (seeded with the rules off). */
export function storedNoteData(overrides: DocumentData = {}): DocumentData {
  return noteData({ updatedAt: FIXED_TIME, ...overrides });
}

export function without(data: DocumentData, key: string): DocumentData {
  const copy = { ...data };
  delete copy[key];
  return copy;
}

/** A channel's id: the lowercase hex SHA-256 of its FCM token. */
export function channelIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function channelData(uid: string, token: string, overrides: DocumentData = {}): DocumentData {
  return {
    uid,
    token,
    deviceId: 'device-phone',
    deviceName: 'Pixel in the kitchen',
    platform: 'android',
    createdAt: serverTimestamp(),
    lastSeen: serverTimestamp(),
    ...overrides,
  };
}

export function storedChannelData(uid: string, token: string, overrides: DocumentData = {}): DocumentData {
  return channelData(uid, token, { createdAt: CREATED_AT, lastSeen: FIXED_TIME, ...overrides });
}

/** Firestore as each kind of caller sees it, and a way to write past the rules. */
export interface RulesCallers {
  alice(): Firestore;
  bob(): Firestore;
  nobody(): Firestore;
  /** Writes a document as it would already stand, the rules switched off for the write. */
  seed(path: string, data: DocumentData): Promise<void>;
}

/**
 * A test file's rules environment: made before its tests, emptied before each, cleaned up after.
 * The callers read it when called, so they may be taken at the file's top level.
 */
export function useRulesEnvironment(): RulesCallers {
  let env: RulesTestEnvironment | undefined;
  beforeAll(async () => {
    env = await createRulesEnvironment();
  });
  afterAll(async () => {
    await env?.cleanup();
  });
  beforeEach(async () => {
    await current().clearFirestore();
  });
  const current = () => {
    if (!env) throw new Error('The rules environment is not set up: call useRulesEnvironment() at the top level of a test file.');
    return env;
  };
  return {
    alice: () => db(current().authenticatedContext(ALICE)),
    bob: () => db(current().authenticatedContext(BOB)),
    nobody: () => db(current().unauthenticatedContext()),
    seed: async (path, data) => {
      await current().withSecurityRulesDisabled(async (context) => {
        await setDoc(doc(db(context), path), data);
      });
    },
  };
}
