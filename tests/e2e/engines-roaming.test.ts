/**
 * Two devices of one person in two engines, against the real Auth and Firestore emulators: each
 * signs in by email link, a note made in one appears in the other and back, My devices says what
 * each engine can do about notifications, a note written offline in each survives its window
 * being closed, and a second person sees none of it. Firefox and WebKit by default (the engines
 * Chromium's tests do not cover); BROWSERS picks the two, in order.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { PUSH_SUPPORT_MESSAGES } from '../../src/push/push-support.js';
import { cssQuery, roleQuery, textQuery, type EnginePage } from '../../testing/engine-page.js';
import { enginesUnderTest, launchEngine, type Engine, type EngineDevice, type EngineName } from '../../testing/engines.js';
import { addNote, boardTexts, card, outboxSize } from './engine-app.js';
import { FIRESTORE_DOCUMENTS_URL } from '../../testing/emulator-suite.mjs';
import { AUTH_EMULATOR, PROJECT_ID, requireAuthEmulator, uniqueEmail } from './people.js';

/** The emulators' owner credential: reads past the rules, for checking what the server holds. */
const OWNER = { Authorization: 'Bearer owner', 'Content-Type': 'application/json' };

/**
 * Waits until the server holds `count` device records of the person signed in as `email`. Each
 * device registers itself (a callable) beside its sync, and My devices lists what the server holds
 * when it opens: opened before a registration has landed, it would rightly show one device.
 */
async function devicesRegistered(email: string, count: number): Promise<void> {
  const lookup = await fetch(`${AUTH_EMULATOR}/identitytoolkit.googleapis.com/v1/projects/${PROJECT_ID}/accounts:lookup`, {
    method: 'POST',
    headers: OWNER,
    body: JSON.stringify({ email: [email] }),
  });
  const uid = ((await lookup.json()) as { users: { localId: string }[] }).users[0]!.localId;
  await expect
    .poll(
      async () => {
        const listed = await fetch(`${FIRESTORE_DOCUMENTS_URL}/users/${uid}/devices`, { headers: OWNER });
        return ((await listed.json()) as { documents?: unknown[] }).documents?.length ?? 0;
      },
      { timeout: 20_000, interval: 250 },
    )
    .toBe(count);
}

/** The two engines: Firefox and WebKit unless BROWSERS names (at least) two others. */
function pair(): [EngineName, EngineName] {
  const chosen = process.env.BROWSERS ? enginesUnderTest() : (['firefox', 'webkit'] as EngineName[]);
  return [chosen[0], chosen[1] ?? chosen[0]];
}

/** Asks for a sign-in link on `page` and opens it there, as the person would from their mail. */
async function signInByEmailLink(page: EnginePage, email: string): Promise<void> {
  await page.click(roleQuery('button', 'Sign in'));
  await page.fill(roleQuery('textbox', 'Email address'), email);
  await page.click(roleQuery('button', 'Email me a link'));
  await page.waitFor(textQuery(`We sent a sign-in link to ${email}. Open it on this device to finish.`));
  const response = await fetch(`${AUTH_EMULATOR}/emulator/v1/projects/${PROJECT_ID}/oobCodes`);
  const { oobCodes } = (await response.json()) as { oobCodes: { email: string; oobCode: string; requestType: string }[] };
  // The newest link for this address: each device asked for its own.
  const code = oobCodes.filter((c) => c.email === email && c.requestType === 'EMAIL_SIGNIN').at(-1);
  expect(code, `a sign-in link for ${email}`).toBeDefined();
  await page.open(`/?apiKey=demo-api-key&oobCode=${code!.oobCode}&mode=signIn&lang=en`);
  await page.waitFor(roleQuery('button', `Account: ${email}`), { timeoutMs: 20_000 });
}

async function openMyDevices(page: EnginePage, email: string): Promise<void> {
  await page.click(roleQuery('button', `Account: ${email}`));
  await page.click(roleQuery('button', 'My devices'));
  await page.waitFor(roleQuery('heading', 'My devices'));
}

describe('one person on two engines', () => {
  const [firstName, secondName] = pair();
  const engines: Engine[] = [];
  const devices: EngineDevice[] = [];

  beforeAll(async () => {
    await requireAuthEmulator();
    engines.push(await launchEngine(firstName));
    engines.push(secondName === firstName ? engines[0] : await launchEngine(secondName));
  });
  afterAll(async () => {
    for (const engine of new Set(engines)) await engine.close();
  });
  afterEach(async () => {
    for (const device of devices.splice(0)) {
      const errors = await device.errors();
      await device.close();
      expect(errors).toEqual([]);
    }
  });

  it(`signs in by email link in ${firstName} and ${secondName}, notes roam both ways (a closed window’s outbox too), and a second person sees nothing`, async () => {
    const email = uniqueEmail('roamer');
    const [first, second] = await Promise.all(engines.map((engine) => engine.newDevice(inject('emulatorAppUrl'))));
    devices.push(first, second);
    await first.page.open('/');
    await signInByEmailLink(first.page, email);
    await second.page.open('/');
    await signInByEmailLink(second.page, email);

    await addNote(first.page, `Written in ${firstName}`);
    await second.page.waitFor(card(`Written in ${firstName}`), { timeoutMs: 20_000 });
    await addNote(second.page, `Answered in ${secondName}`);
    await first.page.waitFor(card(`Answered in ${secondName}`), { timeoutMs: 20_000 });
    // Each stored what it heard through the page-merging worker (src/db/page-merger.ts), which
    // runs in every engine: its script was loaded.
    for (const device of [first, second]) {
      expect(await device.page.evaluate(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('page-merger.worker')))).toBe(true);
    }
    // A note arrived on each, and each set (or, without the Badging API, skipped) the app badge:
    // afterEach holds both to no errors. Firefox and WebKit have no Badging API.
    for (const [device, engine] of [[first, firstName], [second, secondName]] as const) {
      if (engine !== 'chromium') expect(await device.page.evaluate(() => 'setAppBadge' in navigator)).toBe(false);
    }

    // Notifications, per engine: Firefox has Web Push and offers to turn them on; WebKitGTK has
    // no PushManager, and My devices says so and why, as a state of its own (not an error).
    await devicesRegistered(email, 2);
    for (const [device, engine] of [[first, firstName], [second, secondName]] as const) {
      const hasPush = await device.page.evaluate(() => typeof PushManager !== 'undefined');
      if (engine === 'firefox' || engine === 'webkit') expect(hasPush).toBe(engine === 'firefox');
      await openMyDevices(device.page, email);
      const state = cssQuery('[data-testid="push-state"]', cssQuery('devices-panel'));
      if (hasPush) {
        await device.page.waitFor(roleQuery('button', 'Turn on notifications', cssQuery('devices-panel')));
      } else {
        await device.page.waitFor({ ...state, hasText: PUSH_SUPPORT_MESSAGES.title });
        expect(await device.page.value(state)).toContain(PUSH_SUPPORT_MESSAGES.noPushManager);
        // Not an Apple platform (WebKitGTK on Linux): Safari's Home Screen rule is not shown here.
        expect(await device.page.count(cssQuery('[data-testid="apple-push-rule"]', cssQuery('devices-panel')))).toBe(0);
        expect(await device.page.count(roleQuery('alert', undefined, cssQuery('devices-panel')))).toBe(0);
      }
      // Both devices listed before the dialog is closed: a row arriving moves its Close button.
      await device.page.waitUntil(() => device.page.count(cssQuery('li[data-device]', cssQuery('devices-panel'))), 'both devices listed', (count) => count === 2);
      await device.page.click(roleQuery('button', 'Close', cssQuery('devices-panel')));
      await device.page.waitUntil(() => device.page.count(cssQuery('dialog[open]', cssQuery('devices-panel'))), 'My devices to close', (count) => count === 0);
    }

    // The outbox outlives a closed window, in each engine: a note written offline, the window
    // closed before it could be sent, goes out when the app opens again online.
    const offlineNotes: string[] = [];
    for (const [cutOff, observer, engine] of [[first, second, firstName], [second, first, secondName]] as const) {
      const offlineNote = `Written offline in ${engine} (device ${offlineNotes.length + 1}), window closed`;
      offlineNotes.push(offlineNote);
      await cutOff.setOffline(true);
      await addNote(cutOff.page, offlineNote);
      await cutOff.page.waitFor({ role: 'status', hasText: '1 change not yet synced' });
      await cutOff.reopenWindow();
      await cutOff.setOffline(false);
      await cutOff.page.open('/');
      await cutOff.page.waitFor(card(offlineNote));
      await observer.page.waitFor(card(offlineNote), { timeoutMs: 20_000 });
    }

    // A second person signs in on a device of their own: none of the first person's notes there,
    // and what they write never reaches the first person.
    const stranger = await engines[0].newDevice(inject('emulatorAppUrl'));
    devices.push(stranger);
    await stranger.page.open('/');
    await signInByEmailLink(stranger.page, uniqueEmail('stranger'));
    await stranger.page.waitFor({ role: 'status', hasText: 'Synced' }, { timeoutMs: 20_000 });
    await stranger.page.waitFor(textQuery('No notes yet'));
    await addNote(stranger.page, 'Only mine');
    // On the server (acknowledged, out of the outbox) before the first person writes again.
    await stranger.page.waitUntil(() => outboxSize(stranger.page), 'the stranger’s note to reach the server', (size) => size === 0, 20_000);
    // A later note of the first person's reaches their other device: that device has heard
    // everything written before it, and the stranger's note is not among it.
    await addNote(second.page, 'After the stranger wrote');
    await first.page.waitFor(card('After the stranger wrote'), { timeoutMs: 20_000 });
    const firstPersonNotes = ['After the stranger wrote', `Answered in ${secondName}`, `Written in ${firstName}`, ...offlineNotes];
    expect((await boardTexts(first.page)).sort()).toEqual(firstPersonNotes.sort());
    expect(await boardTexts(stranger.page)).toEqual(['Only mine']);
    // Three browsers, three sign-ins and two offline rounds: about 35 s alone, and well over the
    // e2e default of 60 s beside another file on two cores. Each step has its own bound.
  }, 180_000);
});
