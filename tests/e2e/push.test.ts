/**
 * Push in the real app and its real worker (the emulator build, in Chromium): exactly the
 * envelope FCM would deliver for the message the function builds is delivered over CDP
 * (ServiceWorker.deliverPushMessage); the notification, the badge, "Mark done" and a click are
 * checked; and the device's channel is registered, renamed and removed from My devices against
 * the Auth, Firestore and Functions emulators.
 *
 * Observing the worker: Playwright reaches the service worker's own global scope
 * (context.serviceWorkers(), Chromium only). The badge is observed by wrapping
 * navigator.setAppBadge/clearAppBadge there (the real code path still calls them). A
 * notification click cannot be made by CDP, so the test dispatches a NotificationEvent built
 * from the real notification in the worker: the same listener runs. Being untrusted, that event
 * refuses waitUntil (the listener throws after starting the work; the error stays in the
 * worker), and it carries no user activation, so clients.openWindow() and focus() are refused:
 * the click test therefore uses the path with a window open (navigate it to the note).
 */
import { createHash } from 'node:crypto';
import type { CDPSession, Page, Worker } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { buildFcmMessage } from '../../functions/src/fcm-message';
import type { FcmMessage } from '../../functions/src/fcm-message';
import { EMULATOR_PUSH_LOG } from '../../functions/src/senders';
import { buildNotePush } from '../../src/shared/push';
import { pushTestFirestore, seedChannels, waitUntil } from '../emulator/push-helpers';
import { advanceRemindersTo, waitUntilScheduled } from '../emulator/reminder-clock';
import { closeNote, openReminderDialog, reminderDialog, remindIn } from './reminder-steps.js';
import { wrapAsFcmDelivers, type FcmEnvelope } from '../support/fcm-envelope';
import { serveGapiStandIn } from '../../testing/gapi-stand-in.js';
import { newDevice, useChromium, openApp, readNotifications, readStores, waitForApp, waitForServiceWorker, type Device, type ShownNotification } from './harness.js';
import { FIRESTORE_DOCUMENTS_URL } from '../../testing/emulator-suite.mjs';
import { PROJECT_ID, addNote, requireAuthEmulator, signIn, uniqueEmail } from './people.js';

const FIRESTORE = FIRESTORE_DOCUMENTS_URL;
/** The emulator's owner credential: reads past the rules, for checking what landed. */
const OWNER = { Authorization: 'Bearer owner' };

const browser = useChromium(requireAuthEmulator);
let device: Device;
let page: Page;

afterEach(async () => {
  expect(device.errors).toEqual([]);
  await device.context.close();
});

async function freshDevice(): Promise<void> {
  device = await newDevice(browser(), inject('emulatorAppUrl'));
  page = device.page;
  await serveGapiStandIn(device.context);
  await openApp(page);
  await waitForServiceWorker(page);
}

/** The app's service worker, as Playwright sees it (its own global scope). */
async function serviceWorker(): Promise<Worker> {
  const find = () => device.context.serviceWorkers().find((worker) => worker.url().endsWith('/sw.js'));
  return find() ?? (await device.context.waitForEvent('serviceworker', { predicate: (worker) => worker.url().endsWith('/sw.js') }));
}

/**
 * CDP's id for the registration of the worker controlling this page. The ServiceWorker domain
 * also lists registrations of earlier tests' contexts on the same origin, which may not be gone
 * yet; a push delivered to one of those shows nothing. The controlled page's target id tells them apart.
 */
async function registrationId(cdp: CDPSession): Promise<string> {
  const { targetInfo } = await cdp.send('Target.getTargetInfo');
  const found = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no activated worker controls this page')), 10_000);
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      const version = versions.find((v) => v.status === 'activated' && v.controlledClients?.includes(targetInfo.targetId));
      if (!version) return;
      clearTimeout(timer);
      resolve(version.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

/**
 * Starts watching for the push event that will be dispatched with `data`. The returned promise
 * resolves once Chromium reports that event completed (its waitUntil promise settled: the
 * worker's showNotification has resolved), and rejects when it completed with another status
 * than Success. Chromium's Background Services record (DevTools' "Push messaging" panel) is the
 * witness: it names each dispatched payload and each completion, in order.
 */
async function watchPushEvent(cdp: CDPSession, data: string): Promise<{ completed: Promise<void> }> {
  interface Recorded {
    timestamp: number;
    eventName: string;
    eventMetadata: { key: string; value: string }[];
  }
  let dispatchedAt: number | undefined;
  // Starting to observe replays what was recorded before (an earlier delivery of the same payload): skipped.
  let replayed = true;
  const completed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Chromium reported no completed push event within 20 s')), 20_000);
    cdp.on('BackgroundService.backgroundServiceEventReceived', ({ backgroundServiceEvent: event }: { backgroundServiceEvent: Recorded }) => {
      if (replayed) return;
      const meta = (key: string) => event.eventMetadata.find((entry) => entry.key === key)?.value;
      if (event.eventName === 'Push event dispatched' && meta('Payload') === data) dispatchedAt = event.timestamp;
      if (event.eventName !== 'Push event completed' || dispatchedAt === undefined || event.timestamp < dispatchedAt) return;
      clearTimeout(timer);
      if (meta('Status') === 'Success') resolve();
      else reject(new Error(`the push event completed with status ${meta('Status')}`));
    });
  });
  await cdp.send('BackgroundService.startObserving', { service: 'pushMessaging' });
  replayed = false;
  await cdp.send('BackgroundService.setRecording', { shouldRecord: true, service: 'pushMessaging' });
  // Awaited by the caller after delivering; a delivery that throws first must not leave it unhandled.
  completed.catch(() => undefined);
  return { completed };
}

/**
 * Delivers a push, waits until its event has completed in the worker, then until `shown`
 * resolves. Nothing reads the notifications while the push is being handled: Chromium drops the
 * record of a notification whose display is still under way when a getNotifications() call
 * begins (it takes it for one closed meanwhile), and every later read then misses a notification
 * that was shown. Polling from the moment of delivery lost a push now and then (one in six with
 * reads back to back); reads begun after the worker's showNotification resolved lost none.
 */
async function deliverPush<T>(payload: unknown, shown: () => Promise<T>): Promise<T> {
  const cdp = await device.context.newCDPSession(page);
  const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
  try {
    const id = await registrationId(cdp);
    const { completed } = await watchPushEvent(cdp, data);
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(inject('emulatorAppUrl')).origin, registrationId: id, data });
    await completed;
    return await shown();
  } finally {
    await cdp.detach();
  }
}

const notifications = () => readNotifications(page);

async function waitForNotification(tag: string): Promise<ShownNotification> {
  const deadline = Date.now() + 20_000;
  let shown: ShownNotification[] = [];
  while (Date.now() < deadline) {
    shown = await notifications();
    const found = shown.find((n) => n.tag === tag);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no notification tagged ${tag}; shown: ${JSON.stringify(shown)}`);
}

/** Records what the worker passes to the Badging API, still calling the real one. */
async function spyOnBadge(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const scope = self as unknown as { __badges: number[]; navigator: Record<string, (n?: number) => Promise<void>> };
    scope.__badges = [];
    const nav = scope.navigator;
    const set = nav.setAppBadge.bind(nav);
    const clear = nav.clearAppBadge.bind(nav);
    nav.setAppBadge = (n?: number) => (scope.__badges.push(n ?? -1), set(n));
    nav.clearAppBadge = () => (scope.__badges.push(0), clear());
  });
}

const badges = (worker: Worker) => worker.evaluate(() => (self as unknown as { __badges: number[] }).__badges);

/** Clicks a shown notification (an action button, or '' for its body) through the worker's listener. */
async function clickNotification(worker: Worker, tag: string, action: string): Promise<void> {
  await worker.evaluate(
    async ({ tag, action }) => {
      const scope = self as unknown as ServiceWorkerGlobalScopeLike;
      const [notification] = await scope.registration.getNotifications({ tag });
      if (!notification) throw new Error(`no notification tagged ${tag}`);
      scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification, action }));
    },
    { tag, action },
  );
}

interface ServiceWorkerGlobalScopeLike {
  registration: ServiceWorkerRegistration;
  dispatchEvent(event: Event): boolean;
  NotificationEvent: new (type: string, init: { notification: Notification; action: string }) => Event;
}

type LocalNote = { id: string; text: string; done: boolean; color: string };

/** The signed-in account's uid and the notes in its local database, read straight from IndexedDB. */
async function localAccount(): Promise<{ uid: string; notes: LocalNote[] }> {
  const { name, records } = await readStores(page, 'account', ['notes']);
  return { uid: name.slice('roaming-notes-user-'.length), notes: records.notes as LocalNote[] };
}

/** The envelope FCM delivers for the message the function builds for this note. */
function envelopeFor(note: { uid: string; noteId: string; text: string; openCount: number }): FcmEnvelope {
  const data = buildNotePush({ ...note, color: 'yellow' });
  return wrapAsFcmDelivers(buildFcmMessage(`emulator-other-device`, data, { appOrigin: `https://${PROJECT_ID}.web.app` }));
}

async function firestoreDoc(path: string): Promise<{ fields: Record<string, Record<string, unknown>> } | undefined> {
  const response = await fetch(`${FIRESTORE}/${path}`, { headers: OWNER });
  if (response.status === 404) return undefined;
  expect(response.ok).toBe(true);
  return (await response.json()) as { fields: Record<string, Record<string, unknown>> };
}

/** The id of the opened note, if a note is open. */
function openedNoteId(): Promise<string | undefined> {
  return page.evaluate(() => {
    const editor = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-editor') as (Element & { note?: { id: string } }) | null;
    return editor?.shadowRoot?.querySelector('dialog[open]') ? editor.note?.id : undefined;
  });
}

describe('a push to this device', () => {
  it('shows the note as a notification with actions and sets the badge; "Mark done" marks it in the store and it syncs', async () => {
    await freshDevice();
    await signIn(page, 'Google', { email: uniqueEmail('pusha'), name: 'Pat Push' });
    await addNote(page, 'Pick up milk');
    const { uid, notes } = await localAccount();
    const note = notes.find((n) => n.text === 'Pick up milk')!;
    const worker = await serviceWorker();
    await spyOnBadge(worker);

    // As if another device had written "Pick up milk\n and bread": the function's preview of it.
    const shown = await deliverPush(envelopeFor({ uid, noteId: note.id, text: 'Pick up milk\n  and   bread', openCount: 7 }), () =>
      waitForNotification(note.id),
    );
    expect(shown).toEqual({
      title: 'Pick up milk',
      body: 'and bread',
      tag: note.id,
      actions: [
        { action: 'done', title: 'Mark done' },
        { action: 'open', title: 'Open' },
      ],
      data: { noteId: note.id, uid, link: `/?note=${note.id}` },
    });
    await expect.poll(() => badges(worker)).toEqual([7]);

    // A repeat for the same note replaces the notification (same tag), it does not add one.
    // The badge and the notification are set in parallel: wait for the repeat's own text (no
    // second line), so the click below cannot race a replacement still on its way.
    await deliverPush(envelopeFor({ uid, noteId: note.id, text: 'Pick up milk', openCount: 7 }), () =>
      expect
        .poll(async () => (await notifications()).filter((n) => n.tag === note.id).map((n) => [n.title, n.body]))
        .toEqual([['Pick up milk', '']]),
    );
    await expect.poll(async () => (await badges(worker)).length).toBe(2);

    await clickNotification(worker, note.id, 'done');
    await expect.poll(async () => (await localAccount()).notes.find((n) => n.id === note.id)?.done, { timeout: 10_000 }).toBe(true);
    // The only open note is now done: the badge is cleared from the local count.
    await expect.poll(async () => (await badges(worker)).at(-1)).toBe(0);
    // Closed by the click; the platform drops it from getNotifications() asynchronously.
    await expect.poll(async () => (await notifications()).some((n) => n.tag === note.id), { timeout: 10_000 }).toBe(false);
    // The page sees the change through Dexie, and sync carries it to Firestore.
    await page.getByRole('article', { name: 'Note, done: Pick up milk' }).waitFor();
    await expect
      .poll(async () => (await firestoreDoc(`users/${uid}/notes/${note.id}`))?.fields.done?.booleanValue, { timeout: 20_000 })
      .toBe(true);
  });

  it('opens the note when the notification is clicked', async () => {
    await freshDevice();
    await signIn(page, 'GitHub', { email: uniqueEmail('pushb'), name: 'Olly Open' });
    for (const text of ['First note', 'Second note', 'Third note']) await addNote(page, text);
    const { uid, notes } = await localAccount();
    const target = notes.find((n) => n.text === 'First note')!;
    const worker = await serviceWorker();
    await deliverPush(envelopeFor({ uid, noteId: target.id, text: 'First note', openCount: 3 }), () => waitForNotification(target.id));

    const navigated = page.waitForURL((url) => url.searchParams.get('note') === target.id);
    await clickNotification(worker, target.id, '');
    await navigated;
    await waitForApp(page);
    // The note opens over the board.
    await expect.poll(() => openedNoteId(), { timeout: 15_000 }).toBe(target.id);
    // The launch intent is handled once: the address is back to the app's root.
    expect(new URL(page.url()).search).toBe('');
  });

  it('shows the generic notification for a malformed payload, and never fails', async () => {
    await freshDevice();
    const worker = await serviceWorker();
    await spyOnBadge(worker);
    const malformed = [
      'this is not JSON',
      { data: { version: '1', kind: 'note-created', uid: 'u', noteId: 'n', preview: 'x', color: 'red', openCount: '1', link: '/?note=n' } },
      { notification: { title: 'FCM notification block' } },
    ];
    for (const payload of malformed) {
      const shown = await deliverPush(payload, () => waitForNotification('roaming-notes'));
      expect(shown).toMatchObject({ title: 'Roaming Notes', body: 'You have a new note', actions: [] });
      await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).forEach((n) => n.close()));
    }
    expect(await badges(worker)).toEqual([]);
  });
});

describe('a reminder rung by the server', () => {
  /**
   * Signs in, sets a reminder for tomorrow (this device's own clock never gets there, so only the
   * push can ring it here), records this device's channel and another's, and moves the tests'
   * clock to the reminder's minute: its task runs in the functions emulator and its push for this
   * device is delivered as FCM would. Returns what the test goes on with.
   */
  async function ringThroughTheServer(text: string) {
    await freshDevice();
    await signIn(page, 'Google', { email: uniqueEmail('remind'), name: 'Rita Remind' });
    await addNote(page, text);
    const { uid, notes } = await localAccount();
    const note = notes.find((n) => n.text === text)!;
    const occurrence = Math.floor((await remindIn(page, text, 24 * 60)) / 60_000) * 60_000;
    const db = pushTestFirestore();
    // The channels, as turning on notifications records them (no real push token can be made here).
    await seedChannels(db, [
      { uid, token: `${uid}-this-device`, deviceId: 'device-this' },
      { uid, token: `${uid}-phone`, deviceId: 'device-phone', deviceName: 'Phone' },
    ]);
    await waitUntilScheduled(db, uid, occurrence, 30_000);

    await advanceRemindersTo(db, [occurrence], occurrence);
    const logged = async (kind: string) =>
      waitUntil(
        async () => {
          const snapshot = await db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', note.id).where('kind', '==', kind).where('token', '==', `${uid}-this-device`).get();
          return snapshot.size > 0 && wrapAsFcmDelivers(snapshot.docs[0]!.get('message') as FcmMessage<Record<string, string>>);
        },
        20_000,
        `the function to send "${kind}" to this device`,
      );
    const envelope = await logged('reminder');
    const worker = await serviceWorker();
    await worker.evaluate(() => {
      // What the worker asks the platform to show, with whether it should alert.
      const scope = self as unknown as { __shown: { tag: string; silent: boolean }[]; registration: ServiceWorkerRegistration };
      scope.__shown = [];
      const show = scope.registration.showNotification.bind(scope.registration);
      scope.registration.showNotification = (title, options) => (scope.__shown.push({ tag: options?.tag ?? '', silent: options?.silent === true }), show(title, options));
    });
    const shownByWorker = () => worker.evaluate(() => (self as unknown as { __shown: { tag: string; silent: boolean }[] }).__shown);
    const tag = `reminder:${note.id}:${occurrence}`;
    const shown = await deliverPush(envelope, () => waitForNotification(tag));
    return { uid, note, db, tag, envelope, worker, shown, shownByWorker, logged };
  }

  it('rings at its time through the push the function sends, once per occurrence; Done settles it and syncs', async () => {
    const { uid, note, tag, envelope, worker, shown, shownByWorker } = await ringThroughTheServer('Renew the passport');
    expect(shown).toEqual({
      title: 'Renew the passport',
      body: 'Reminder',
      tag,
      actions: [
        { action: 'reminder-done', title: 'Done' },
        { action: 'reminder-snooze', title: 'Snooze 1 hour' },
      ],
      data: { kind: 'reminder', noteId: note.id, uid, link: `/?note=${note.id}` },
    });
    // The same occurrence pushed again (Cloud Tasks and FCM deliver at least once): replaced quietly, never a second alert.
    await deliverPush(envelope, () => expect.poll(shownByWorker).toEqual([{ tag, silent: false }, { tag, silent: true }]));
    expect((await notifications()).filter((n) => n.tag === tag)).toHaveLength(1);
    await openReminderDialog(page, 'Renew the passport');
    expect(await reminderDialog(page).locator('.reach').textContent()).toBe('Reminders ring on all your devices at their time, even with the app closed.');
    await page.keyboard.press('Escape');
    await closeNote(page);

    await clickNotification(worker, tag, 'reminder-done');
    // A one-off reminder done is cleared, here and, by sync, on the server.
    await expect.poll(async () => (await localAccount()).notes.find((n) => n.id === note.id) as unknown as { reminder?: unknown }, { timeout: 10_000 }).toMatchObject({ reminder: null });
    await expect
      .poll(async () => (await firestoreDoc(`users/${uid}/notes/${note.id}`))?.fields.reminder, { timeout: 20_000 })
      .toEqual({ nullValue: null });
    // Closed by the answer.
    await expect.poll(async () => (await notifications()).some((n) => n.tag === tag), { timeout: 10_000 }).toBe(false);
  }, 90_000);

  it('answered on another device while this one is offline: its notification here says so, quietly, and goes once it syncs', async () => {
    const { uid, note, db, tag, logged, shownByWorker } = await ringThroughTheServer('Pay the rent');
    await device.context.setOffline(true);
    // Done on the phone: its sync writes the note, the later stamp on the cleared reminder.
    const stamp = `${String(Date.now() + 1_000).padStart(15, '0')}:00000:device-phone`;
    await db.collection('users').doc(uid).collection('notes').doc(note.id).update({ reminder: null, updatedBy: 'device-phone', 'clocks.reminder': stamp });
    const settled = await logged('reminder-settled');
    await deliverPush(settled, () => expect.poll(async () => (await notifications()).find((n) => n.tag === tag)?.body).toBe('Done on Phone'));
    expect((await notifications()).find((n) => n.tag === tag)).toMatchObject({ title: 'Pay the rent', actions: [] });
    expect((await shownByWorker()).at(-1)).toEqual({ tag, silent: true });

    // Back online, the app hears of the answer and closes it.
    await device.context.setOffline(false);
    await expect.poll(async () => (await notifications()).some((n) => n.tag === tag), { timeout: 30_000 }).toBe(false);
  }, 90_000);
});

describe('the app badge from the page', () => {
  it('shows the open-note count when the app opens and follows the board', async () => {
    device = await newDevice(browser(), inject('emulatorAppUrl'));
    page = device.page;
    // Records what the app passes to the Badging API, still calling the real one.
    await page.addInitScript(() => {
      const scope = window as unknown as { __badges: number[] };
      scope.__badges = [];
      const nav = navigator as unknown as Record<string, (n?: number) => Promise<void>>;
      const set = nav.setAppBadge.bind(navigator);
      const clear = nav.clearAppBadge.bind(navigator);
      nav.setAppBadge = (n?: number) => (scope.__badges.push(n ?? -1), set(n));
      nav.clearAppBadge = () => (scope.__badges.push(0), clear());
    });
    const pageBadges = () => page.evaluate(() => (window as unknown as { __badges: number[] }).__badges);
    // The page's badge is set by the push hooks, loaded after first paint with the other parts:
    // on a loaded machine that took longer than expect.poll's default second once.
    const BADGE_WAIT = { timeout: 10_000 };
    await openApp(page);
    await expect.poll(pageBadges, BADGE_WAIT).toEqual([0]);
    await addNote(page, 'Buy stamps');
    await addNote(page, 'Water plants');
    await expect.poll(async () => (await pageBadges()).at(-1)).toBe(2);
    await page.getByRole('article', { name: 'Note: Buy stamps' }).getByRole('checkbox', { name: 'Done' }).check();
    await expect.poll(async () => (await pageBadges()).at(-1)).toBe(1);
    await page.reload();
    await waitForApp(page);
    await expect.poll(pageBadges, BADGE_WAIT).toEqual([1]);
  });
});

describe('My devices', () => {
  const deviceIdOnPage = () =>
    page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const request = indexedDB.open('keyval-store');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const get = request.result.transaction('keyval').objectStore('keyval').get('device-id');
            get.onsuccess = () => resolve(String(get.result));
            get.onerror = () => reject(get.error);
          };
        }),
    );
  const channelPathOf = (deviceId: string) => `channels/${createHash('sha256').update(`emulator-${deviceId}`).digest('hex')}`;

  async function openMyDevices(name: string) {
    await page.getByRole('button', { name: `Account: ${name}` }).click();
    await page.getByRole('button', { name: 'My devices' }).click();
    await page.getByRole('heading', { name: 'My devices' }).waitFor();
  }

  it('turns notifications on (channel in Firestore), renames, tests, removes, and sign-out deletes the channel', async () => {
    await freshDevice();
    const person = { email: uniqueEmail('devices'), name: 'Dev Ices' };
    await signIn(page, 'Google', person);
    await openMyDevices(person.name);
    await page.getByText('No device gets notifications yet.').waitFor();
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    const onHere = page.locator('devices-panel').getByText('Notifications are on for this device.', { exact: true });
    await onHere.waitFor();

    const { uid } = await localAccount();
    const deviceId = await deviceIdOnPage();
    const path = channelPathOf(deviceId);
    const channel = await firestoreDoc(path);
    expect(channel?.fields.uid).toEqual({ stringValue: uid });
    expect(channel?.fields.deviceId).toEqual({ stringValue: deviceId });
    expect(channel?.fields.token).toEqual({ stringValue: `emulator-${deviceId}` });
    expect(channel?.fields.deviceName.stringValue).toBe('Chrome on Linux');
    const row = page.locator('devices-panel li', { hasText: 'This device' });
    await row.getByText('Chrome on Linux').waitFor();
    // Said once, by the state line, once the device list has loaded too.
    expect(await onHere.count()).toBe(1);

    await row.getByRole('button', { name: 'Rename Chrome on Linux' }).click();
    await row.getByRole('textbox', { name: 'Device name' }).fill('  Desk   laptop ');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('Desk laptop').waitFor();
    await expect.poll(async () => (await firestoreDoc(path))?.fields.deviceName).toEqual({ stringValue: 'Desk laptop' });

    await row.getByRole('button', { name: 'Send a test notification to Desk laptop' }).click();
    await page.getByText('A test notification is on its way to Desk laptop.').waitFor({ timeout: 20_000 });

    await row.getByRole('button', { name: 'Turn off notifications on Desk laptop' }).click();
    await page.getByText('This device will no longer get notifications.').waitFor();
    await expect.poll(async () => firestoreDoc(path)).toBeUndefined();
    await page.getByRole('button', { name: 'Turn on notifications' }).waitFor();

    // On again, then sign out: the channel goes with the account.
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await expect.poll(async () => (await firestoreDoc(path))?.fields.uid).toEqual({ stringValue: uid });
    // Close only once this device's row is back: the row arriving moves the Close button, and a
    // click on it mid-move left the panel open over the account button.
    await page.locator('devices-panel').getByRole('button', { name: /^Turn off notifications on / }).waitFor();
    await page.locator('devices-panel').getByRole('button', { name: 'Close' }).click();
    await page.locator('devices-panel dialog[open]').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `Account: ${person.name}` }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await firestoreDoc(path)).toBeUndefined();
  });

  it('says how to unblock when the browser blocks notifications', async () => {
    await freshDevice();
    await device.context.clearPermissions();
    const person = { email: uniqueEmail('blocked'), name: 'Bea Blocked' };
    await signIn(page, 'Google', person);
    await openMyDevices(person.name);
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByRole('alert').getByText(/Notifications are blocked for this site.*allow notifications in the site settings/).waitFor();
    const deviceId = await deviceIdOnPage();
    expect(await firestoreDoc(channelPathOf(deviceId))).toBeUndefined();
  });

  it('registers the channel under the device id that sync writes as updatedBy (how the function skips the writer)', async () => {
    // Covered at the function level in tests/emulator/push-function.test.ts; here the app's own
    // channel must carry the app's device id, which is what the function compares with updatedBy.
    await freshDevice();
    const person = { email: uniqueEmail('writer'), name: 'Wri Ter' };
    await signIn(page, 'Google', person);
    await openMyDevices(person.name);
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.locator('devices-panel').getByText('Notifications are on for this device.', { exact: true }).waitFor();
    await page.locator('devices-panel').getByRole('button', { name: 'Close' }).click();
    await addNote(page, 'Written here');
    const { uid, notes } = await localAccount();
    const note = notes.find((n) => n.text === 'Written here')!;
    const written = await waitForFirestore(`users/${uid}/notes/${note.id}`);
    expect(written.fields.updatedBy).toEqual({ stringValue: await deviceIdOnPage() });
  });
});

async function waitForFirestore(path: string) {
  let found: Awaited<ReturnType<typeof firestoreDoc>>;
  await expect.poll(async () => (found = await firestoreDoc(path)) !== undefined, { timeout: 20_000 }).toBe(true);
  return found!;
}
