/**
 * Shared set-up for the push tests and the fan-out benchmark: the Admin SDK (from functions/, the
 * same copy the function code uses) on the Firestore emulator, a recording sender, and seeders.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { adminFirestore } from '../../functions/src/admin';
import type { PushSender, SendOutcome } from '../../functions/src/fanout';
import type { FcmMessage } from '../../functions/src/fcm-message';
import { EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';
import { emulatorAddress } from './emulator-address';

/** firebase-admin lives in functions/node_modules (not a root dependency): its types come through the function code. */
export type Firestore = ReturnType<typeof adminFirestore>;

export const PROJECT_ID = EMULATOR_PROJECT_ID;
export const FUNCTIONS_EMULATOR = emulatorUrl('functions');

export function pushTestFirestore(): Firestore {
  emulatorAddress(); // throws with the reason when FIRESTORE_EMULATOR_HOST is not set
  return adminFirestore(PROJECT_ID);
}

/** A uid of its own per test: triggers from other test files never touch these channels. */
export function uniqueUid(name: string): string {
  return `push-${name}-${randomUUID().slice(0, 8)}`;
}

export function channelIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface RecordingSender extends PushSender {
  calls: FcmMessage<Record<string, string>>[][];
}

/** Records every call; `outcome` decides each message's result (success by default). */
export function recordingSender(outcome: (token: string) => SendOutcome = () => ({ success: true })): RecordingSender {
  const calls: FcmMessage<Record<string, string>>[][] = [];
  return {
    calls,
    async sendEach(messages) {
      calls.push(messages);
      return { responses: messages.map((message) => outcome(message.token)) };
    },
  };
}

export async function seedChannels(
  db: Firestore,
  channels: { uid: string; token: string; deviceId: string; deviceName?: string }[],
): Promise<void> {
  for (let i = 0; i < channels.length; i += 500) {
    const batch = db.batch();
    for (const channel of channels.slice(i, i + 500)) {
      batch.set(db.collection('channels').doc(channelIdOf(channel.token)), {
        uid: channel.uid,
        token: channel.token,
        deviceId: channel.deviceId,
        deviceName: channel.deviceName ?? `Device ${channel.deviceId}`,
        platform: 'test',
        createdAt: new Date(),
        lastSeen: new Date(),
      });
    }
    await batch.commit();
  }
}

/** A note document as the sync engine writes it. */
export function noteDoc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    text: 'Pick up milk',
    color: 'yellow',
    pinned: false,
    done: false,
    trashed: false,
    deleted: false,
    createdAt: new Date(),
    updatedAt: new Date(),
    updatedBy: 'device-desktop',
    clocks: {},
    ...overrides,
  };
}

export async function channelExists(db: Firestore, token: string): Promise<boolean> {
  return (await db.collection('channels').doc(channelIdOf(token)).get()).exists;
}

/** Fails loudly when the functions emulator is not there (the trigger tests would only time out). */
export async function assertFunctionsEmulator(): Promise<void> {
  try {
    await fetch(`${FUNCTIONS_EMULATOR}/`);
  } catch (error) {
    throw new Error(`The functions emulator does not answer at ${FUNCTIONS_EMULATOR}: run through scripts/emulators.mjs exec. (${String(error)})`);
  }
}

export async function waitUntil<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function setBackgroundTriggers(on: boolean): Promise<void> {
  const response = await fetch(`${emulatorUrl('hub')}/functions/${on ? 'enable' : 'disable'}BackgroundTriggers`, { method: 'PUT' });
  if (!response.ok) throw new Error(`The emulator hub refused to switch triggers ${on ? 'on' : 'off'}: ${response.status} ${await response.text()}`);
}

/**
 * Runs `fn` with the functions emulator's triggers off: seeding thousands of notes would queue a
 * trigger run per note and write, and a later test's own trigger would wait behind them.
 */
export async function withTriggersOff<T>(fn: () => Promise<T>): Promise<T> {
  await setBackgroundTriggers(false);
  try {
    return await fn();
  } finally {
    await setBackgroundTriggers(true);
  }
}

/**
 * The triggers off for the tests of a describe block that call the handlers themselves: the real
 * trigger would file and unfile the same notes' reminders beside them.
 */
export function useTriggersOff(): void {
  beforeAll(() => setBackgroundTriggers(false));
  afterAll(() => setBackgroundTriggers(true));
}
