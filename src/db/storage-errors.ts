/**
 * Storage failures in words a person can act on. A browser without usable IndexedDB (some
 * private modes, blocked storage, a corrupt profile) must still get a working page with a clear
 * explanation, never an unhandled rejection. Loaded when a failure is to be described (not part
 * of the first paint): see describeStorageErrorLater.
 */
import Dexie from 'dexie';

function innerError(error: unknown): unknown {
  return error instanceof Dexie.DexieError && error.inner ? innerError(error.inner) : error;
}

function errorName(error: unknown): string {
  return error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
}

/** True when the failure is the disk (or the browser's quota for this site) being full. */
export function isQuotaError(error: unknown): boolean {
  return [error, innerError(error)].some((e) => errorName(e) === 'QuotaExceededError');
}

export function describeStorageError(error: unknown): string {
  if (isQuotaError(error)) {
    return 'This device is out of storage space for notes. Your last change was not saved; free some space and try again.';
  }
  // Dexie wraps what IndexedDB threw (OpenFailedError around a SecurityError): the cause names the case.
  const cause = errorName(innerError(error));
  const name = ['MissingAPIError', 'SecurityError', 'VersionError', 'QuotaExceededError'].includes(cause) ? cause : errorName(error);
  if (name === 'MissingAPIError' || name === 'SecurityError') {
    return 'This browser does not let the app store notes (private browsing or blocked site data). Notes cannot be saved here.';
  }
  if (name === 'VersionError' || name === 'UpgradeError') {
    return 'A newer version of Roaming Notes is open in another tab. Reload this page to continue.';
  }
  if (name === 'DatabaseClosedError' || name === 'OpenFailedError' || name === 'InvalidStateError') {
    return 'Local note storage could not be opened. Close other tabs of the app and reload; if it persists, the browser profile may be damaged.';
  }
  return `Saving notes on this device failed (${name || 'unknown error'}). Nothing was lost that was already saved.`;
}
