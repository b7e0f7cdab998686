/**
 * Every sentence a person reads about sync, in one place: the failures the engine reports, the
 * reasons it gives for a refused change, and the words of the status line (src/ui/sync-status.ts).
 */
import { errorCode } from '../shared/errors.js';

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export const SYNC_TEXTS = {
  failure: {
    unavailable: 'Cannot reach the server. Changes are kept and sent when the connection is back.',
    unauthenticated: 'Your sign-in has expired. Sign in again to keep syncing; nothing is lost.',
    permissionDenied: 'This account is not allowed to sync these notes.',
    resourceExhausted: 'The server is over its quota right now. Sync will retry.',
    other: (code: string) => `Sync failed${code ? ` (${code})` : ''}; retrying.`,
    /** A read of the first sync (or a catch-up) stopped answering; it is asked again from where it stopped. */
    stalled: 'Sync stalled, retrying',
    /** The server refused a change, not yet for good (see SYNC.REFUSAL_ROUNDS): it is sent again shortly. */
    unconfirmed: 'The server did not take a change just now; sending it again shortly. Nothing is lost.',
    /** Watching this device's outbox (a Dexie live query) failed: new changes would not be noticed. */
    localWatch: 'Sync cannot follow changes made on this device right now; retrying. Nothing is lost.',
  },
  rejection: {
    permissionDenied: 'The server refused this change (not allowed for this account, or the note is not valid).',
    invalidArgument: 'The server refused this change as invalid.',
    other: 'The server refused this change.',
  },
  status: {
    offline: 'Offline',
    unsynced: (n: number) => `${count(n, 'change', 'changes')} not yet synced`,
    syncing: (done: number) => `Syncing ${done.toLocaleString('en-US')} of`,
    notes: (n: number) => count(n, 'note', 'notes'),
    firstSyncLabel: 'First sync',
    synced: (ago: string) => `Synced ${ago}`,
    justNow: 'just now',
    minutesAgo: (minutes: number) => `${minutes} min ago`,
    hoursAgo: (hours: number) => `${hours} h ago`,
    connecting: 'Connecting…',
    refused: (n: number, firstReason: string) => `${count(n, 'change was', 'changes were')} refused: ${firstReason}`,
    discard: 'Discard',
  },
} as const;

/** Why the server refused a change for good, in words (kept on the change and shown). */
export function describeRejection(error: unknown): string {
  switch (errorCode(error)) {
    case 'permission-denied':
      return SYNC_TEXTS.rejection.permissionDenied;
    case 'invalid-argument':
      return SYNC_TEXTS.rejection.invalidArgument;
    default:
      return SYNC_TEXTS.rejection.other;
  }
}

/** A failure sync is retrying, in words, for the status line. */
export function describeFailure(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'unavailable':
      return SYNC_TEXTS.failure.unavailable;
    case 'unauthenticated':
      return SYNC_TEXTS.failure.unauthenticated;
    case 'permission-denied':
      return SYNC_TEXTS.failure.permissionDenied;
    case 'resource-exhausted':
      return SYNC_TEXTS.failure.resourceExhausted;
    default:
      return SYNC_TEXTS.failure.other(code);
  }
}
