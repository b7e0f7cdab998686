/**
 * The first-screen script: a few lines put inline at the top of index.html's body at build time
 * (vite.config.ts), so they run while the page is parsed, before any module. They paint the
 * screen the app kept when it was last hidden (src/ui/first-screen.ts) with document.write, the
 * one way a parser-time script can add declarative shadow roots. The Content-Security-Policy in
 * firebase.json allows exactly this script by its hash (tests/unit/first-screen-script.test.ts).
 */
import { APP } from '../constants.js';

export const FIRST_SCREEN = {
  /** Bumped when the kept HTML changes shape: an older copy is then not painted. */
  VERSION: 1,
  /** localStorage: the kept screen (JSON: version, database, width, HTML). */
  STORAGE_KEY: 'roaming-notes.first-screen',
  /** The element the copy is painted in. */
  ELEMENT_ID: 'rn-first-screen',
  /** Custom elements in the copy are renamed with this prefix, so none of the app's definitions upgrades them. */
  TAG_PREFIX: 'rn-kept-',
  /** Longest copy kept (characters of JSON): parsing more would cost the start what it saves. */
  MAX_CHARS: 300_000,
  /** The copy is taken away after this long at the latest, should the app never paint its board. */
  LONGEST_MS: 10_000,
} as const;

/**
 * The script's source. It paints the copy only on a plain start of the app (no path, query or
 * hash: a deep link shows something else), in a window of the width it was laid out for, for the
 * notes database the app will open.
 */
export function firstScreenScript(): string {
  const key = JSON.stringify(FIRST_SCREEN.STORAGE_KEY);
  const lastDb = JSON.stringify(APP.LAST_NOTES_DB_KEY);
  const guestDb = JSON.stringify(APP.GUEST_DB_NAME);
  const id = JSON.stringify(FIRST_SCREEN.ELEMENT_ID);
  return (
    `try{var k=JSON.parse(localStorage.getItem(${key})||"null");` +
    `if(k&&k.v===${FIRST_SCREEN.VERSION}&&k.width===innerWidth&&k.db===(localStorage.getItem(${lastDb})||${guestDb})` +
    `&&location.pathname==="/"&&!location.search&&!location.hash){document.write(k.html);` +
    `setTimeout(function(){var e=document.getElementById(${id});e&&e.remove()},${FIRST_SCREEN.LONGEST_MS})}}catch(e){}`
  );
}

/** Forgets the kept screen (only if it shows `db`, when given): its notes are gone from this device. */
export function forgetFirstScreen(db?: string): void {
  try {
    const saved = globalThis.localStorage?.getItem(FIRST_SCREEN.STORAGE_KEY);
    if (!saved) return;
    if (db !== undefined && keptFor(saved) !== undefined && keptFor(saved) !== db) return;
    globalThis.localStorage.removeItem(FIRST_SCREEN.STORAGE_KEY);
  } catch {
    // Storage blocked: nothing was kept either.
  }
}

/** The database a kept screen shows; undefined for one that cannot be read (forgotten, never painted). */
function keptFor(saved: string): unknown {
  try {
    return (JSON.parse(saved) as { db?: unknown }).db;
  } catch {
    return undefined;
  }
}

/** Takes the painted copy away: the app's own screen is on display. */
export function removePaintedFirstScreen(): void {
  globalThis.document?.getElementById(FIRST_SCREEN.ELEMENT_ID)?.remove();
}
