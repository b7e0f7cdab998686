/**
 * Which IndexedDB database holds whose notes: one per account, one for the guest. Used by the
 * app (src/account) and the service worker (marking a note done), so both always agree; it
 * imports nothing but the keys, so the worker does not pull in Firebase or Lit with it.
 */
import { APP } from '../constants.js';

/** The notes database of the account `uid`, or the guest's when there is no account. */
export function notesDatabaseName(uid: string | undefined): string {
  return uid === undefined ? APP.GUEST_DB_NAME : `${APP.ACCOUNT_DB_PREFIX}${uid}`;
}
