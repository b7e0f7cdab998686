/**
 * Small per-device settings kept with idb-keyval, apart from the notes database. A start reads
 * the device id without it (start-reads.ts), so the settings store loads on its first other use.
 */
import { takeStartSetting } from './start-reads.js';
import { APP } from '../constants.js';

const keyval = () => import('./keyval.js');

let deviceIdPromise: Promise<string> | undefined;

/** A stable random id for this browser profile; it names the device that wrote a change. */
export function deviceId(): Promise<string> {
  deviceIdPromise ??= (async () => {
    const early = await takeStartSetting('deviceId');
    const existing = early ? early.value : await (await keyval()).get<string>(APP.DEVICE_ID_KEY);
    if (existing) return existing;
    const id = crypto.randomUUID();
    await (await keyval()).set(APP.DEVICE_ID_KEY, id);
    return id;
  })();
  return deviceIdPromise;
}

export async function wasPersistenceAsked(): Promise<boolean> {
  return (await (await keyval()).get<boolean>(APP.PERSIST_ASKED_KEY)) === true;
}

export async function markPersistenceAsked(): Promise<void> {
  return (await keyval()).set(APP.PERSIST_ASKED_KEY, true);
}
