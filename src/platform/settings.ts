/**
 * Small per-device settings kept with idb-keyval, apart from the notes database. Shared with the
 * service worker, so no import() here (a classic worker script cannot load a module later); the
 * app's start loads this module after first paint (lifecycle-dependencies.ts).
 */
import { get, set } from './keyval.js';
import { takeStartSetting } from './start-reads.js';
import { APP } from '../constants.js';

let deviceIdPromise: Promise<string> | undefined;

/** A stable random id for this browser profile; it names the device that wrote a change. */
export function deviceId(): Promise<string> {
  deviceIdPromise ??= (async () => {
    const early = await takeStartSetting('deviceId');
    // None at the start (a first visit) is asked again: another tab may have made it since.
    const existing = early?.value ?? (await get<string>(APP.DEVICE_ID_KEY));
    if (existing) return existing;
    const id = crypto.randomUUID();
    await set(APP.DEVICE_ID_KEY, id);
    return id;
  })();
  return deviceIdPromise;
}

export async function wasPersistenceAsked(): Promise<boolean> {
  return (await get<boolean>(APP.PERSIST_ASKED_KEY)) === true;
}

export function markPersistenceAsked(): Promise<void> {
  return set(APP.PERSIST_ASKED_KEY, true);
}
