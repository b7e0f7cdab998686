/**
 * Roaming between devices of one person, in real Chromium against the real Auth and Firestore
 * emulators: each device is its own browser context (its own IndexedDB, its own Firestore
 * connection), signed in to the same account through the emulator's identity provider.
 */
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { serveGapiStandIn } from '../../testing/gapi-stand-in.js';
import { formatStamp, parseStamp } from '../../src/db/hlc.js';
import { newDevice, useChromium, useDevices, openApp, readStores, type Device } from './harness.js';
import { chooseFromMenu, editNote, openNote, waitForClosed } from './opened-note.js';
import { addNote, card, requireAuthEmulator, signIn, uniqueEmail, type Person } from './people.js';
import { chipLabel, clockAt, closeNote, reminderChip, remindIn, shownNotifications } from './reminder-steps.js';

/** Roaming on the local emulator takes well under a second; this only bounds a hang. */
const ROAM_TIMEOUT_MS = 15_000;

const browser = useChromium(requireAuthEmulator);
const devices = useDevices();

/** A new device signed in as `person` (the first device creates the account). */
async function deviceOf(person: Person, options: { existing: boolean }): Promise<Device> {
  const device = await newDevice(browser(), inject('emulatorAppUrl'));
  devices.push(device);
  await serveGapiStandIn(device.context);
  await openApp(device.page);
  await signIn(device.page, 'Google', person, options);
  await device.page.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: ROAM_TIMEOUT_MS });
  return device;
}

/** Records what the page passes to the Badging API from now on (the real one still called); returns the last count. */
async function spyOnPageBadge(page: Page): Promise<() => Promise<number | undefined>> {
  await page.evaluate(() => {
    const scope = window as unknown as { __badges: number[] };
    scope.__badges = [];
    const nav = navigator as unknown as Record<string, (n?: number) => Promise<void>>;
    const set = nav.setAppBadge!.bind(navigator);
    const clear = nav.clearAppBadge!.bind(navigator);
    nav.setAppBadge = (n?: number) => (scope.__badges.push(n ?? -1), set(n));
    nav.clearAppBadge = () => (scope.__badges.push(0), clear());
  });
  return () => page.evaluate(() => (window as unknown as { __badges: number[] }).__badges.at(-1));
}

async function twoDevices(name: string): Promise<[Page, Page, Person]> {
  const person = { email: uniqueEmail(name), name: `${name} Roamer` };
  const a = await deviceOf(person, { existing: false });
  const b = await deviceOf(person, { existing: true });
  return [a.page, b.page, person];
}

const waitForCard = (page: Page, text: string) => card(page, text).first().waitFor({ timeout: ROAM_TIMEOUT_MS });
const waitForNoCard = (page: Page, text: string) =>
  expect.poll(() => card(page, text).count(), { timeout: ROAM_TIMEOUT_MS }).toBe(0);

async function noteState(page: Page, text: string) {
  return card(page, text).evaluate((element) => {
    const { note } = element as unknown as { note: Record<string, unknown> };
    return { text: note.text, color: note.color, pinned: note.pinned, done: note.done };
  });
}

describe('roaming between two devices of one person', () => {
  it('a note created on A appears on B; color, done, trash and delete forever roam both ways', async () => {
    const [a, b] = await twoDevices('ada');
    await addNote(a, 'Pick up milk');
    await waitForCard(b, 'Pick up milk');
    // B stored what it heard in the page-merging worker (src/db/page-merger.ts), off the board's thread.
    expect(b.workers().map((worker) => worker.url())).toEqual([expect.stringContaining('page-merger.worker')]);

    await chooseFromMenu(b, 'Pick up milk', 'Green');
    await expect.poll(() => card(a, 'Pick up milk').locator('article').getAttribute('data-color'), { timeout: ROAM_TIMEOUT_MS }).toBe('green');

    await card(a, 'Pick up milk').getByRole('checkbox', { name: 'Done' }).check();
    await expect.poll(() => card(b, 'Pick up milk').getByRole('checkbox', { name: 'Done' }).isChecked(), { timeout: ROAM_TIMEOUT_MS }).toBe(true);

    await chooseFromMenu(a, 'Pick up milk', 'Move to trash');
    await waitForNoCard(b, 'Pick up milk');
    await b.getByRole('button', { name: 'Trash (1)' }).click();
    await waitForCard(b, 'Pick up milk');
    await a.getByRole('button', { name: 'Trash (1)' }).click();
    await chooseFromMenu(a, 'Pick up milk', 'Delete forever');
    await waitForNoCard(b, 'Pick up milk');
    await b.getByText('The trash is empty.').waitFor();
  });

  it('a reminder set on A shows on B; it rings on both, and Done on B closes it on A and takes it off A\'s badge', async () => {
    const [a, b] = await twoDevices('rhea');
    await addNote(a, 'Pay the rent');
    await waitForCard(b, 'Pay the rent');
    const due = await remindIn(a, 'Pay the rent', 2);
    await expect.poll(() => chipLabel(b, 'Pay the rent'), { timeout: ROAM_TIMEOUT_MS }).toMatch(/^Reminder: Today|^Reminder: Tomorrow/);
    // Ticked: no open note is left, so A's badge counts the reminder alone once it rings.
    const badgeOfA = await spyOnPageBadge(a);
    await card(a, 'Pay the rent').getByRole('checkbox', { name: 'Done' }).check();
    await expect.poll(badgeOfA).toBe(0);

    // A minute past its time on both devices: each shows the one occurrence.
    for (const page of [a, b]) await clockAt(page, due + 60_000);
    for (const page of [a, b]) await expect.poll(() => shownNotifications(page)).toEqual([{ title: 'Pay the rent', body: 'Reminder', reminder: true, actions: ['Done', 'Snooze 1 hour'] }]);
    await expect.poll(badgeOfA).toBe(1);

    const note = await openNote(b, 'Pay the rent');
    await note.getByRole('button', { name: 'Done', exact: true }).click();
    await closeNote(b);
    // The settled reminder roams: A's notification closes, and its chip goes.
    await expect.poll(() => shownNotifications(a), { timeout: ROAM_TIMEOUT_MS }).toEqual([]);
    await expect.poll(() => reminderChip(a, 'Pay the rent').count(), { timeout: ROAM_TIMEOUT_MS }).toBe(0);
    await expect.poll(badgeOfA).toBe(0);
    expect(await shownNotifications(b)).toEqual([]);
  });

  it('undo of delete forever on A brings the note back to the trash, with its text, on B', async () => {
    const [a, b] = await twoDevices('undo');
    await addNote(a, 'Do not lose me');
    await chooseFromMenu(a, 'Do not lose me', 'Move to trash');
    await a.getByRole('button', { name: 'Trash (1)' }).click();
    await b.getByRole('button', { name: 'Trash (1)' }).click();
    await waitForCard(b, 'Do not lose me');
    await chooseFromMenu(a, 'Do not lose me', 'Delete forever');
    await waitForNoCard(b, 'Do not lose me');
    await b.getByText('The trash is empty.').waitFor({ timeout: ROAM_TIMEOUT_MS });
    await a.keyboard.press('Control+z');
    await waitForCard(a, 'Do not lose me');
    await waitForCard(b, 'Do not lose me');
    // The server took the undo (the rules allow deleted=false with the text back): A has nothing left to send.
    await a.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: ROAM_TIMEOUT_MS });
    expect(await card(b, 'Do not lose me').evaluate((element) => (element as unknown as { note: { text: string; trashed: boolean; deleted: boolean } }).note)).toMatchObject({
      text: 'Do not lose me',
      trashed: true,
      deleted: false,
    });
  });

  it('archive roams: archived on A leaves B’s board for B’s archive; unarchived on B (offline, then back) returns on A', async () => {
    const [a, b] = await twoDevices('archie');
    await addNote(a, 'Archive me across devices');
    await waitForCard(b, 'Archive me across devices');

    await chooseFromMenu(a, 'Archive me across devices', 'Archive');
    await waitForNoCard(b, 'Archive me across devices');
    await b.getByRole('button', { name: 'Archive', exact: true }).click();
    await waitForCard(b, 'Archive me across devices');
    expect(await card(b, 'Archive me across devices').evaluate((element) => (element as unknown as { note: { archived: boolean } }).note.archived)).toBe(true);

    // B unarchives offline while A recolors the same note: different fields, both survive.
    await b.context().setOffline(true);
    await b.evaluate(() => window.dispatchEvent(new Event('offline')));
    await chooseFromMenu(b, 'Archive me across devices', 'Unarchive');
    await waitForNoCard(b, 'Archive me across devices');
    await a.getByRole('button', { name: 'Archive', exact: true }).click();
    await chooseFromMenu(a, 'Archive me across devices', 'Green');
    await b.context().setOffline(false);
    await b.evaluate(() => window.dispatchEvent(new Event('online')));

    await waitForNoCard(a, 'Archive me across devices');
    await a.getByRole('button', { name: 'Notes', exact: true }).click();
    await waitForCard(a, 'Archive me across devices');
    await b.getByRole('button', { name: 'Notes', exact: true }).click();
    await waitForCard(b, 'Archive me across devices');
    const state = (page: Page) =>
      card(page, 'Archive me across devices').evaluate((element) => {
        const { note } = element as unknown as { note: { archived: boolean; color: string } };
        return { archived: note.archived, color: note.color };
      });
    await expect.poll(() => state(a), { timeout: ROAM_TIMEOUT_MS }).toEqual({ archived: false, color: 'green' });
    await expect.poll(() => state(b), { timeout: ROAM_TIMEOUT_MS }).toEqual({ archived: false, color: 'green' });
    await b.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: ROAM_TIMEOUT_MS });
  });

  it('A edits offline while B edits the same note; after A reconnects both show the same note', async () => {
    const [a, b] = await twoDevices('grace');
    await addNote(a, 'Plan the trip');
    await waitForCard(b, 'Plan the trip');

    await a.context().setOffline(true);
    await a.evaluate(() => window.dispatchEvent(new Event('offline')));
    await chooseFromMenu(a, 'Plan the trip', 'Pin');
    await editNote(a, 'Plan the trip', 'Plan the trip to Lisbon (from A)');
    await a.getByTestId('sync-status').filter({ hasText: /^Offline · \d+ changes? not yet synced/ }).waitFor();

    // B, online, changes the color and (later than A) the same text.
    await chooseFromMenu(b, 'Plan the trip', 'Blue');
    await editNote(b, 'Plan the trip', 'Plan the trip to Porto (from B)');

    await a.context().setOffline(false);
    await a.evaluate(() => window.dispatchEvent(new Event('online')));
    // The same text, edited on both from one base: A (the device with the unsent edit) merges,
    // so both devices' words survive, A's first where both added at one place. Different
    // fields: A's pin and B's color both survive.
    const merged = 'Plan the trip to Lisbon (from A) to Porto (from B)';
    const expected = { text: merged, color: 'blue', pinned: true, done: false };
    await waitForCard(a, merged);
    await expect.poll(() => noteState(a, merged), { timeout: ROAM_TIMEOUT_MS }).toEqual(expected);
    await expect.poll(() => noteState(b, merged), { timeout: ROAM_TIMEOUT_MS }).toEqual(expected);
    await a.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: ROAM_TIMEOUT_MS });
  });

  it('a checklist and a label edited on two devices, one offline: every item edit and the label on both', async () => {
    const [a, b] = await twoDevices('kim');
    const goOffline = async (page: Page, offline: boolean) => {
      await page.context().setOffline(offline);
      await page.evaluate((event) => window.dispatchEvent(new Event(event)), offline ? 'offline' : 'online');
    };
    const closeNote = async (page: Page) => {
      await page.keyboard.press('Escape');
      await waitForClosed(page);
    };
    await addNote(a, 'Groceries');
    const list = await openNote(a, 'Groceries');
    await list.getByRole('textbox', { name: 'Note text' }).fill('milk\nbread');
    await list.getByRole('button', { name: 'Show checkboxes' }).click();
    await list.locator('note-checklist textarea').nth(1).waitFor();
    await closeNote(a);
    // A label made on A, the one both devices will touch.
    await a.locator('app-header').getByRole('button', { name: 'Labels' }).click();
    await a.locator('labels-drawer dialog[open]').getByRole('button', { name: /^(Edit labels|Create a label)$/ }).click();
    const manager = (page: Page) => page.locator('labels-manager dialog[open]');
    await manager(a).getByRole('textbox', { name: 'New label' }).fill('Shop');
    await manager(a).getByRole('textbox', { name: 'New label' }).press('Enter');
    await manager(a).getByRole('textbox', { name: 'Name of the label Shop', exact: true }).waitFor();
    await manager(a).getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => card(b, 'Groceries').locator('.items li').allTextContents(), { timeout: ROAM_TIMEOUT_MS }).toEqual(['milk', 'bread']);
    await b.locator('app-header').getByRole('button', { name: 'Labels' }).click();
    await b.locator('labels-drawer dialog[open]').getByRole('button', { name: 'Shop', exact: true }).waitFor({ timeout: ROAM_TIMEOUT_MS });
    await b.keyboard.press('Escape');

    // A, offline: ticks milk and puts the label on the note.
    await goOffline(a, true);
    const onA = await openNote(a, 'Groceries');
    await onA.getByRole('checkbox', { name: 'Ticked: milk' }).click();
    await onA.getByRole('button', { name: 'Labels' }).click();
    await a.locator('note-labels dialog[open]').getByRole('checkbox', { name: 'Shop' }).check();
    await a.locator('note-labels dialog[open]').getByRole('button', { name: 'Done' }).click();
    await closeNote(a);
    // B, online: adds eggs, renames bread, and renames the label.
    const onB = await openNote(b, 'Groceries');
    await onB.getByRole('button', { name: 'List item' }).click();
    await b.keyboard.type('eggs');
    await onB.locator('note-checklist textarea').nth(1).fill('rye bread');
    await closeNote(b);
    await b.locator('app-header').getByRole('button', { name: 'Labels' }).click();
    await b.locator('labels-drawer dialog[open]').getByRole('button', { name: /^(Edit labels|Create a label)$/ }).click();
    const shop = manager(b).getByRole('textbox', { name: 'Name of the label Shop', exact: true });
    await shop.fill('Shopping');
    await shop.press('Enter');
    await manager(b).getByRole('textbox', { name: 'Name of the label Shopping', exact: true }).waitFor();
    await manager(b).getByRole('button', { name: 'Done' }).click();
    await goOffline(a, false);

    const state = async (page: Page) => ({
      items: await card(page, 'Groceries')
        .first()
        .evaluate((element) => (element as unknown as { note: { items: { text: string; done: boolean }[] } }).note.items.map((item) => `${item.done ? '[x]' : '[ ]'} ${item.text}`)),
      chips: (await card(page, 'Groceries').first().locator('.labels li').allTextContents()).map((chip) => chip.trim()),
    });
    const expected = { items: ['[x] milk', '[ ] rye bread', '[ ] eggs'], chips: ['Shopping'] };
    await expect.poll(() => state(a), { timeout: ROAM_TIMEOUT_MS }).toEqual(expected);
    await expect.poll(() => state(b), { timeout: ROAM_TIMEOUT_MS }).toEqual(expected);
    await a.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: ROAM_TIMEOUT_MS });
  });

  it('a change the server refuses is set aside with an explanation while the rest keeps syncing', async () => {
    const [a, b] = await twoDevices('rita');
    await addNote(a, 'Refused edit of this note');
    await waitForCard(b, 'Refused edit of this note');
    // An edit past the app's own length check, as a damaged or tampered record would hold, queued
    // straight in IndexedDB with a fresh stamp as any edit gets: the rules refuse it.
    const { records } = await readStores(a, 'account', ['notes']);
    const original = (records.notes as { id: string; text: string; clocks: { text: string } }[]).find((n) => n.text === 'Refused edit of this note')!;
    const laterStamp = formatStamp(parseStamp(original.clocks.text)!.wallMs + 1_000, 0, parseStamp(original.clocks.text)!.deviceId);
    await a.evaluate(
      async ({ note, stamp }) => {
        const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.startsWith('roaming-notes-user-'))!;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const tx = db.transaction(['notes', 'outbox'], 'readwrite');
        const stored = tx.objectStore('notes').get(note.id);
        stored.onsuccess = () => {
          const current = stored.result as { text: string; clocks: Record<string, string> };
          tx.objectStore('notes').put({ ...current, text: `${current.text} ${'x'.repeat(20_000)}`, clocks: { ...current.clocks, text: stamp } });
          tx.objectStore('outbox').add({ noteId: note.id, fields: ['text'], created: false, queuedAt: Date.now() });
        };
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      },
      { note: { id: original.id }, stamp: laterStamp },
    );
    // The next change wakes sync, which sends both in one batch: the refusal must not hold this one back.
    await addNote(a, 'Accepted by the server');

    await a.getByRole('alert').filter({ hasText: /1 change was refused: The server refused this change/ }).waitFor({ timeout: ROAM_TIMEOUT_MS });
    await waitForCard(b, 'Accepted by the server');
    expect((await noteState(b, 'Refused edit of this note')).text).toBe('Refused edit of this note');
    await addNote(a, 'Written after the refusal');
    await waitForCard(b, 'Written after the refusal');
    // Still the one change: the refused edit is not sent again and refused anew.
    expect(await a.getByRole('alert').filter({ hasText: /refused/ }).textContent()).toMatch(/^\s*1 change was refused/);
  });

  it('another person signed in elsewhere sees none of it', async () => {
    const [a] = await twoDevices('alice');
    await addNote(a, "Alice's diary");
    const stranger = await deviceOf({ email: uniqueEmail('mallory'), name: 'Mallory' }, { existing: false });
    await addNote(stranger.page, "Mallory's note");
    await expect.poll(() => card(stranger.page, "Alice's diary").count()).toBe(0);
    expect(await card(a, "Mallory's note").count()).toBe(0);
  });

  it('two tabs of one device sync through one leader, and closing it hands over within 2 seconds', async () => {
    const person = { email: uniqueEmail('tabs'), name: 'Tab Person' };
    const device = await deviceOf(person, { existing: false });
    const leader = device.page;
    const follower = await device.context.newPage();
    await openApp(follower);
    await follower.getByRole('button', { name: `Account: ${person.name}` }).waitFor();
    const other = (await deviceOf(person, { existing: true })).page;

    const heldLocks = (page: Page) =>
      page.evaluate(async () => (await navigator.locks.query()).held?.filter((lock) => lock.name?.startsWith('roaming-notes-sync-')).length ?? 0);
    expect(await heldLocks(follower)).toBe(1);

    // The follower's edit reaches Dexie; the leader tab sends it.
    await addNote(follower, 'Written in the second tab');
    await waitForCard(other, 'Written in the second tab');

    await leader.close();
    const closedAt = Date.now();
    await expect.poll(() => heldLocks(follower), { interval: 50, timeout: 2_000 }).toBe(1);
    const handover = Date.now() - closedAt;
    expect(handover).toBeLessThan(2_000);
    await addNote(other, 'Arrives after the handover');
    await waitForCard(follower, 'Arrives after the handover');
  });
});
