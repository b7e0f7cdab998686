/**
 * The reminder occurrences this device has shown (their notification tags), kept across reloads
 * in the small key-value store the app and the service worker share: the app's own ringing and a
 * push for the same occurrence each look here first, so an occurrence alerts once per device.
 */
import { get, set } from '../platform/keyval.js';

const SHOWN_KEY = 'reminders-shown';
/** The newest tags kept: far more than can ring between two looks. */
const SHOWN_KEPT = 200;

export async function shownOccurrences(): Promise<string[]> {
  return (await get<string[]>(SHOWN_KEY)) ?? [];
}

export async function markOccurrencesShown(tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  const shown = await shownOccurrences();
  const added = tags.filter((tag) => !shown.includes(tag));
  if (added.length) await set(SHOWN_KEY, [...shown, ...added].slice(-SHOWN_KEPT));
}
