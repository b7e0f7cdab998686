/** The Firebase app, created lazily and once; the SDK is fetched only when first needed. */
import type { FirebaseApp } from 'firebase/app';
import { firebaseSettings } from './config.js';

let appPromise: Promise<FirebaseApp> | undefined;

export class SyncNotConfiguredError extends Error {
  constructor() {
    super('Sync is not set up for this copy of Roaming Notes (no Firebase configuration).');
    this.name = 'SyncNotConfiguredError';
  }
}

export function firebaseApp(): Promise<FirebaseApp> {
  const settings = firebaseSettings;
  if (!settings) return Promise.reject(new SyncNotConfiguredError());
  appPromise ??= forgetOnFailure(
    import('firebase/app').then(({ initializeApp }) => initializeApp(settings.options)),
    () => (appPromise = undefined),
  );
  return appPromise;
}

/**
 * Calls `forget` when `promise` rejects, and returns `promise`. A module that failed to download
 * (offline on a first visit, say) must not stay failed for the life of the page: the next call
 * tries again, which is how the app's "Retry" and coming back online restart sync.
 */
export function forgetOnFailure<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget);
  return promise;
}
