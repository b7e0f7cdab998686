/**
 * Crash anywhere: one signed-in device makes changes and has its page killed (the renderer
 * crashed over CDP, or the tab closed without unload handlers) at a random moment while sync is
 * sending them, 50 times over, reopening each time. Afterwards every change confirmed on the
 * device before a crash is in Firestore exactly once (no note lost, none duplicated, the last
 * text and tick of each), and a second device of the same person converges to the same notes.
 * The real app, Auth and Firestore emulators and Chromium throughout; choices come from a seed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { Random } from '../../testing/random.js';
import { serveGapiStandIn } from '../../testing/gapi-stand-in.js';
import { newDevice, openApp, readStores, useChromium, useDevices, type Device } from './harness.js';
import { FIRESTORE_DOCUMENTS_URL } from '../../testing/emulator-suite.mjs';
import { editNote } from './opened-note.js';
import { addNote, card, requireAuthEmulator, signIn, uniqueEmail, type Person } from './people.js';

const ITERATIONS = 50;
const SEED = 20261125;
/** The longest wait after the last change before the crash: sync is mid-flight in most of it. */
const MAX_CRASH_DELAY_MS = 400;
const SETTLE_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 20_000;
const FIRESTORE = FIRESTORE_DOCUMENTS_URL;
/** The emulator's owner credential: reads past the rules, for checking what landed. */
const OWNER = { Authorization: 'Bearer owner' };

const browser = useChromium(requireAuthEmulator);
const devices = useDevices();

interface NoteState {
  text: string;
  done: boolean;
}

async function signedInDevice(person: Person, existing: boolean): Promise<Device> {
  const device = await newDevice(browser(), inject('emulatorAppUrl'));
  devices.push(device);
  await serveGapiStandIn(device.context);
  await openApp(device.page);
  await signIn(device.page, 'Google', person, { existing });
  return device;
}

type StoredNote = NoteState & { deleted: boolean; trashed: boolean };

/** The account's uid and its notes as stored on the device, read straight from IndexedDB. */
async function localNotes(page: Page): Promise<{ uid: string; notes: StoredNote[]; outbox: number }> {
  const { name, records } = await readStores(page, 'account', ['notes', 'outbox']);
  return { uid: name.slice('roaming-notes-user-'.length), notes: records.notes as StoredNote[], outbox: records.outbox!.length };
}

/** Every note document of the person in Firestore, read past the rules. */
async function serverNotes(uid: string): Promise<(NoteState & { deleted: boolean })[]> {
  const notes: (NoteState & { deleted: boolean })[] = [];
  let pageToken = '';
  do {
    const response = await fetch(`${FIRESTORE}/users/${uid}/notes?pageSize=300${pageToken ? `&pageToken=${pageToken}` : ''}`, { headers: OWNER });
    expect(response.ok).toBe(true);
    const body = (await response.json()) as { documents?: { fields: Record<string, { stringValue?: string; booleanValue?: boolean }> }[]; nextPageToken?: string };
    for (const doc of body.documents ?? []) {
      notes.push({ text: doc.fields.text?.stringValue ?? '', done: doc.fields.done?.booleanValue ?? false, deleted: doc.fields.deleted?.booleanValue ?? false });
    }
    pageToken = body.nextPageToken ?? '';
  } while (pageToken);
  return notes;
}

const sorted = (notes: NoteState[]) => notes.map(({ text, done }) => ({ text, done })).sort((a, b) => a.text.localeCompare(b.text));

/**
 * One change, done as a person does it and confirmed on the board (so it is in IndexedDB).
 * `notes` is most recently changed first, as the board shows them; edits and ticks pick from the
 * top few, which are always rendered.
 */
async function change(page: Page, notes: NoteState[], random: Random, label: string): Promise<void> {
  const kind = notes.length === 0 ? 'add' : random.pick(['add', 'add', 'edit', 'tick'] as const);
  if (kind === 'add') {
    await addNote(page, label);
    notes.unshift({ text: label, done: false });
    return;
  }
  const target = notes.splice(random.int(0, Math.min(notes.length, 4) - 1), 1)[0]!;
  notes.unshift(target);
  if (kind === 'tick') {
    const checkbox = card(page, target.text).getByRole('checkbox', { name: 'Done' });
    await checkbox.setChecked(!target.done);
    await expect.poll(() => checkbox.isChecked()).toBe(!target.done);
    target.done = !target.done;
    return;
  }
  await editNote(page, target.text, label);
  target.text = label;
}

/** Kills the page: half the time its renderer crashes first, else the tab closes with no unload handlers. */
async function kill(device: Device, page: Page, random: Random): Promise<void> {
  if (random.chance(0.5)) {
    const crashed = page.waitForEvent('crash', { timeout: STEP_TIMEOUT_MS });
    const cdp = await device.context.newCDPSession(page);
    // The renderer dies before it can answer, so the command itself is never awaited.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
  }
  await withDeadline(page.close({ runBeforeUnload: false }), 'closing the page');
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe('crash anywhere', () => {
  it(`${ITERATIONS} crashes in the middle of sync lose nothing and duplicate nothing`, { timeout: 600_000 }, async () => {
    const random = new Random(SEED);
    const person = { email: uniqueEmail('crash'), name: 'Crash Tester' };
    const device = await signedInDevice(person, false);
    // A step that hangs fails the test with its own message instead of at the test's deadline.
    device.context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const expected: NoteState[] = [];
    let page = device.page;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const changes = random.int(1, 3);
      for (let n = 0; n < changes; n++) await change(page, expected, random, `Crash [${iteration}/${n}]`);
      await page.waitForTimeout(random.int(0, MAX_CRASH_DELAY_MS));
      await kill(device, page, random);
      page = await device.context.newPage();
      await openApp(page);
      await page.getByRole('button', { name: `Account: ${person.name}` }).waitFor();
    }

    await expect.poll(async () => (await localNotes(page)).outbox, { timeout: SETTLE_TIMEOUT_MS }).toBe(0);
    const local = await localNotes(page);
    const want = sorted(expected);
    expect(sorted(local.notes.filter((note) => !note.deleted && !note.trashed))).toEqual(want);

    const server = await serverNotes(local.uid);
    expect(server.filter((note) => note.deleted)).toEqual([]);
    expect(sorted(server)).toEqual(want);

    const other = await signedInDevice(person, true);
    await expect.poll(async () => sorted((await localNotes(other.page)).notes), { timeout: SETTLE_TIMEOUT_MS }).toEqual(want);
  });
});
