/**
 * Board-order keys: fractional indexes (package fractional-indexing) compared as plain strings,
 * ties broken by note id. This module owns the default key of a note that has none (written by
 * an app version before board order), derived from createdAt alone so every device computes the
 * same key without syncing anything. The package itself is loaded on the first new key: reading
 * and painting the board needs none, so it stays off the first paint's bytes.
 */

/** The digits fractional-indexing uses for keys, in ascending character order. */
const KEY_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/**
 * Default keys are integer keys with head 'h' (an integer part of eight digits): 62^8 ms is
 * about 6,900 years, so every creation time fits, and the keys sit above 'a0', the first key a
 * new board hands out, so notes added after an update go on top of the older ones.
 */
const DEFAULT_KEY_HEAD = 'h';
const DEFAULT_KEY_DIGITS = 8;
const DEFAULT_KEY_RANGE = KEY_DIGITS.length ** DEFAULT_KEY_DIGITS;

/** The key of a note that has none: newer notes first, as the board showed them before. */
export function defaultOrderKey(createdAt: number): string {
  const clamped = Number.isFinite(createdAt) ? Math.min(DEFAULT_KEY_RANGE - 1, Math.max(0, Math.floor(createdAt))) : 0;
  let rest = DEFAULT_KEY_RANGE - 1 - clamped;
  let digits = '';
  for (let i = 0; i < DEFAULT_KEY_DIGITS; i++) {
    digits = KEY_DIGITS[rest % KEY_DIGITS.length]! + digits;
    rest = Math.floor(rest / KEY_DIGITS.length);
  }
  return DEFAULT_KEY_HEAD + digits;
}

/** Board order within a section: ascending key, then ascending id (the same on every device). */
export function compareBoardOrder(a: { order: string; id: string }, b: { order: string; id: string }): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Makes keys before a given key (the first of a section), for new notes on top. Async only for
 * loading the package (prefetched after first paint); the function it resolves is synchronous,
 * so it can be called inside a Dexie transaction, where awaiting a module would end it.
 */
export function keyBeforeMaker(): Promise<(first: string | undefined) => string> {
  // One promise for every caller: notes added while the package loads go on in the order they came.
  makerLoad ??= import('fractional-indexing').then(
    ({ generateKeyBetween }) =>
      (first: string | undefined) =>
        generateKeyBetween(null, first ?? null),
    (error: unknown) => {
      // A failed download is tried again by the next caller.
      makerLoad = undefined;
      throw error;
    },
  );
  return makerLoad;
}

let makerLoad: Promise<(first: string | undefined) => string> | undefined;
