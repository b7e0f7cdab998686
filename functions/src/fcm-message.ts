/**
 * The FCM message the function sends for a push data map (src/shared/push.ts holds the map, the
 * contract with the worker; this is how it travels): the token, the data, and the Web Push
 * headers and link. Server-only, pure, so tests build the exact message the function sends.
 */
import type { NotePushData, ReminderPushData, ReminderSettledPushData, TestPushData } from './shared/push.js';

export const FCM = {
  /** How long FCM keeps a push for a device that is offline, in seconds (Web Push TTL header). */
  TTL_SECONDS: 24 * 60 * 60,
  /** FCM's limit on messages per sendEach call. */
  MAX_BATCH: 500,
} as const;

/** The subset of the Admin SDK's `Message` (firebase-admin/messaging) that a push uses. */
export interface FcmMessage<Data extends Record<string, string> = NotePushData> {
  token: string;
  data: Data;
  webpush: {
    headers: { Urgency: 'high'; TTL: string };
    fcmOptions: { link: string };
  };
}

/**
 * One message for one device. `appOrigin` (https://...) makes fcmOptions.link absolute, as FCM
 * requires for real sends; the worker itself opens `data.link`, resolved against its own origin.
 */
export function buildFcmMessage<Data extends NotePushData | ReminderPushData | ReminderSettledPushData | TestPushData>(
  token: string,
  data: Data,
  options: { appOrigin?: string | undefined } = {},
): FcmMessage<Data> {
  const path = typeof data.link === 'string' ? data.link : '/';
  const link = options.appOrigin ? new URL(path, options.appOrigin).href : path;
  return {
    token,
    data,
    webpush: {
      // high: wake the device now (a note someone is waiting for); TTL: drop it after a day offline.
      headers: { Urgency: 'high', TTL: String(FCM.TTL_SECONDS) },
      fcmOptions: { link },
    },
  };
}
