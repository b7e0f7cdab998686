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
  appPromise ??= import('firebase/app').then(({ initializeApp }) => initializeApp(settings.options));
  return appPromise;
}
