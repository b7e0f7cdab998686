/**
 * Whether this browser can get notifications from the person's other devices, decided by
 * feature detection (the one guarded place for the Push and Notifications APIs): a push needs a
 * service worker, the Push API (PushManager) and the Notifications API. Where one is missing the
 * devices panel says so, and why, as a designed state. Only the Safari rule is about a platform
 * rather than a feature: on iPhone and iPad, Safari offers push only to a web app added to the
 * Home Screen (iOS and iPadOS 16.4 and later), so there the panel says how to get it.
 * https://webkit.org/blog/13878/web-push-for-web-apps-on-ios-and-ipados/
 */

/** The parts of a browser push needs, as found here. */
export interface PushFeatures {
  serviceWorker: boolean;
  pushManager: boolean;
  notification: boolean;
}

export type PushSupport =
  | { supported: true }
  | {
      supported: false;
      /** Which part is missing, in words a person can read. */
      why: string;
      /** On an Apple platform: how Safari gives notifications to web apps (added to the Home Screen). */
      appleRule?: string;
    };

export const PUSH_SUPPORT_MESSAGES = {
  title: 'Notifications are not available in this browser.',
  noServiceWorker:
    'It runs no service worker for this site (a private window or a setting that blocks site data can turn them off), ' +
    'and a notification from another device arrives through one.',
  noPushManager: 'It has no Web Push (the Push API), which a notification sent from another device needs.',
  noNotification: 'It has no Notifications API, so there is nothing to show a notification with.',
  stillRoams: 'Your notes still roam: what you add on another device is here when you open Roaming Notes.',
  appleRule:
    'On iPhone and iPad, Safari gives notifications only to a web app added to the Home Screen, on iOS or iPadOS 16.4 ' +
    'or later: in Safari, tap Share, then Add to Home Screen, open Roaming Notes from the Home Screen and turn ' +
    'notifications on there.',
} as const;

interface PushScope {
  navigator?: Navigator;
  PushManager?: unknown;
  Notification?: unknown;
}

/** What this browser has of what push needs (feature detection, never the browser's name). */
export function detectPushFeatures(scope: PushScope = globalThis as PushScope): PushFeatures {
  return {
    serviceWorker: scope.navigator !== undefined && 'serviceWorker' in scope.navigator,
    pushManager: typeof scope.PushManager !== 'undefined',
    notification: typeof scope.Notification !== 'undefined',
  };
}

/**
 * An Apple platform, where Safari's rule for web push applies: iPhone, iPod, iPad (which asks for
 * the desktop site as a Mac) and the Mac. Every browser there is either Safari's engine or, on
 * the Mac, has push of its own, so the rule is only ever shown where it can be the reason.
 */
export function isApplePlatform(userAgent: string): boolean {
  return /iPhone|iPad|iPod|Macintosh/.test(userAgent);
}

/** Whether push can work here, and if not, why and (on Apple platforms) what Safari needs. */
export function pushSupport(features: PushFeatures = detectPushFeatures(), apple: boolean = currentPlatformIsApple()): PushSupport {
  if (features.serviceWorker && features.pushManager && features.notification) return { supported: true };
  const why = !features.serviceWorker
    ? PUSH_SUPPORT_MESSAGES.noServiceWorker
    : !features.pushManager
      ? PUSH_SUPPORT_MESSAGES.noPushManager
      : PUSH_SUPPORT_MESSAGES.noNotification;
  return apple ? { supported: false, why, appleRule: PUSH_SUPPORT_MESSAGES.appleRule } : { supported: false, why };
}

function currentPlatformIsApple(): boolean {
  if (typeof navigator === 'undefined') return false;
  return isApplePlatform(navigator.userAgent);
}

/** Whether this browser can do push at all, and what the person has said so far. */
export type PushPermission = 'unsupported' | 'default' | 'granted' | 'denied';

export function pushPermission(): PushPermission {
  if (!pushSupport().supported) return 'unsupported';
  return Notification.permission;
}
