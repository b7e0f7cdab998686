/**
 * Devices of one person on the emulator build, signed in through the Auth emulator the way the
 * browser tests do it (tests/e2e/people.ts), and the Firestore baseline module loaded into a
 * device's page.
 */
import { newDevice, openApp, type Device } from '../../testing/browser.js';
import { serveGapiStandIn } from '../../testing/gapi-stand-in.js';
import { signIn, uniqueEmail, type Person } from '../../testing/people.js';
import { BASELINE_MODULE, type BenchContext } from './context.js';

export const benchPerson = (name: string): Person => ({ email: uniqueEmail(name), name: `${name} Bench` });

/** A new device (browser context) on the emulator build, opened, not signed in. */
export async function emulatorDevice(bench: BenchContext): Promise<Device> {
  const device = await newDevice(bench.browser, bench.emulatorAppUrl);
  await serveGapiStandIn(device.context);
  await openApp(device.page);
  return device;
}

export async function signedInDevice(bench: BenchContext, person: Person, existing: boolean): Promise<Device> {
  const device = await emulatorDevice(bench);
  await signIn(device.page, 'Google', person, { existing });
  await device.page.getByTestId('sync-status').filter({ hasText: /^Synced/ }).waitFor({ timeout: 30_000 });
  return device;
}

/** The signed-in account's uid, from the name of its notes database. */
export async function uidOf(device: Device): Promise<string> {
  const handle = await device.page.waitForFunction(async () => {
    const names = (await indexedDB.databases()).map((info) => info.name ?? '');
    return names.find((name) => name.startsWith('roaming-notes-user-'))?.slice('roaming-notes-user-'.length);
  });
  return (await handle.jsonValue()) as string;
}

/** Loads the plain-SDK module into the device's page (same origin: it finds the app's Auth session). */
export async function loadBaselineModule(device: Device, uid: string): Promise<void> {
  await device.page.addScriptTag({ url: BASELINE_MODULE, type: 'module' });
  await device.page.waitForFunction(() => window.firestoreBench !== undefined);
  const restored = await device.page.evaluate(() => window.firestoreBench.restoredUid());
  if (restored !== uid) throw new Error(`the baseline SDK restored ${restored ?? 'no user'}, not ${uid}`);
}
