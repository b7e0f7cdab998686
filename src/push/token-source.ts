/**
 * Where this device's push token comes from, replaceable because FCM has no emulator and headless
 * browsers cannot subscribe to push: production asks Firebase Messaging (getToken with the app's
 * own worker registration and the VAPID key); a build on the emulators (firebaseSettings
 * .emulatorHost set) uses a stable local test token, `emulator-<deviceId>`, which no FCM would
 * accept: the functions emulator's stand-in sender logs messages to it instead of sending.
 */
import { firebaseSettings } from '../firebase/config.js';
import { deviceId } from '../platform/settings.js';

export interface TokenSource {
  readonly kind: 'fcm' | 'emulator';
  getToken(registration: ServiceWorkerRegistration): Promise<string>;
  /** Invalidates this device's token (sign-out): pushes to it stop even if a channel lingers. */
  deleteToken(): Promise<void>;
}

export class PushNotConfiguredError extends Error {
  constructor() {
    super('Notifications are not set up for this copy of Roaming Notes (no VAPID key).');
    this.name = 'PushNotConfiguredError';
  }
}

export const fcmTokenSource: TokenSource = {
  kind: 'fcm',
  async getToken(registration) {
    const vapidKey = firebaseSettings?.vapidKey;
    if (!vapidKey) throw new PushNotConfiguredError();
    const { firebaseMessaging } = await import('../firebase/messaging.js');
    const { messaging, sdk } = await firebaseMessaging();
    return sdk.getToken(messaging, { vapidKey, serviceWorkerRegistration: registration });
  },
  async deleteToken() {
    const { firebaseMessaging } = await import('../firebase/messaging.js');
    const { messaging, sdk } = await firebaseMessaging();
    await sdk.deleteToken(messaging);
  },
};

export const emulatorTokenSource: TokenSource = {
  kind: 'emulator',
  async getToken() {
    return `emulator-${await deviceId()}`;
  },
  async deleteToken() {
    // Nothing to invalidate: the test token is not known to any FCM.
  },
};

export function tokenSource(): TokenSource {
  return firebaseSettings?.emulatorHost ? emulatorTokenSource : fcmTokenSource;
}
