/**
 * Firebase Cloud Messaging for the page, created lazily and once. There is no FCM emulator:
 * against the emulators the app never loads this (src/push/token-source.ts uses a local test
 * token there). Tokens are made with the app's own service worker registration (sw/sw.ts), never
 * a second firebase-messaging-sw.js.
 */
import type { Messaging } from 'firebase/messaging';
import { firebaseApp } from './app.js';

type MessagingSdk = typeof import('firebase/messaging');

let messagingPromise: Promise<{ messaging: Messaging; sdk: MessagingSdk }> | undefined;

export class PushUnsupportedError extends Error {
  constructor() {
    super('This browser cannot receive push notifications from Roaming Notes.');
    this.name = 'PushUnsupportedError';
  }
}

export function firebaseMessaging(): Promise<{ messaging: Messaging; sdk: MessagingSdk }> {
  messagingPromise ??= (async () => {
    const [app, sdk] = await Promise.all([firebaseApp(), import('firebase/messaging')]);
    if (!(await sdk.isSupported())) throw new PushUnsupportedError();
    return { messaging: sdk.getMessaging(app), sdk };
  })();
  // A failed start (offline on a first visit) may be retried later.
  messagingPromise.catch(() => (messagingPromise = undefined));
  return messagingPromise;
}
