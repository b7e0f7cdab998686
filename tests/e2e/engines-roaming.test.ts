/**
 * Two devices of one person in two engines, against the real Auth and Firestore emulators: each
 * signs in by email link, and a note made in one appears in the other and back. Firefox and WebKit
 * by default (the engines Chromium's tests do not cover); BROWSERS picks the two, in order.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { roleQuery, textQuery, type EnginePage } from '../../testing/engine-page.js';
import { enginesUnderTest, launchEngine, type Engine, type EngineDevice, type EngineName } from '../../testing/engines.js';
import { addNote, card } from './engine-app.js';
import { AUTH_EMULATOR, PROJECT_ID, requireAuthEmulator, uniqueEmail } from './people.js';

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

  it(`signs in by email link in ${firstName} and ${secondName}, and notes roam both ways`, async () => {
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
  });
});
