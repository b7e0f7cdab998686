/**
 * Each platform API the app uses, with the API absent: the unsupported case is a designed state,
 * not an error. Push and notifications (src/push/push-support.ts), notification actions
 * (sw/notifications.ts), Web Locks (src/platform/locks.ts), the Storage API
 * (src/platform/storage.ts) and requestIdleCallback (src/ui/after-paint.ts); the Badging API is
 * in sw-notifications.test.ts. The engine tests
 * run the real thing in the browsers that lack some of them (Firefox: no badge; WebKit: no push).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PUSH_SUPPORT_MESSAGES, detectPushFeatures, isApplePlatform, pushPermission, pushSupport } from '../../src/push/push-support.js';
import { webLocks, withWebLock, type LockRequester } from '../../src/platform/locks.js';
import { requestPersistenceOnce, storageReport } from '../../src/platform/storage.js';
import { wasPersistenceAsked } from '../../src/platform/settings.js';
import { buildFcmMessage } from '../../functions/src/fcm-message';
import { buildNotePush } from '../../src/shared/push';
import { wrapAsFcmDelivers } from '../support/fcm-envelope';
import { notificationActionSlots, planNotification } from '../../sw/notifications';
import { NO_FRAME_WAIT_MS, whenIdle } from '../../src/ui/after-paint.js';

const UA = {
  webkitGtk: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
  iPhone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iPadAsMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
};

describe('push support', () => {
  const all = { serviceWorker: true, pushManager: true, notification: true };

  it('finds what push needs in a scope', () => {
    expect(detectPushFeatures({ navigator: { serviceWorker: {} } as Navigator, PushManager: class {}, Notification: class {} })).toEqual(all);
    // WebKitGTK: a service worker and notifications, no PushManager.
    expect(detectPushFeatures({ navigator: { serviceWorker: {} } as Navigator, Notification: class {} })).toEqual({ ...all, pushManager: false });
    expect(detectPushFeatures({})).toEqual({ serviceWorker: false, pushManager: false, notification: false });
  });

  it('is supported with all three parts', () => {
    expect(pushSupport(all, false)).toEqual({ supported: true });
    expect(pushSupport(all, true)).toEqual({ supported: true });
  });

  it('says which part is missing, and gives Safari’s Home Screen rule only on Apple platforms', () => {
    expect(pushSupport({ ...all, pushManager: false }, false)).toEqual({ supported: false, why: PUSH_SUPPORT_MESSAGES.noPushManager });
    expect(pushSupport({ ...all, serviceWorker: false }, false)).toEqual({ supported: false, why: PUSH_SUPPORT_MESSAGES.noServiceWorker });
    expect(pushSupport({ ...all, notification: false }, false)).toEqual({ supported: false, why: PUSH_SUPPORT_MESSAGES.noNotification });
    const iPhone = pushSupport({ ...all, pushManager: false }, true);
    expect(iPhone).toEqual({ supported: false, why: PUSH_SUPPORT_MESSAGES.noPushManager, appleRule: PUSH_SUPPORT_MESSAGES.appleRule });
    expect(PUSH_SUPPORT_MESSAGES.appleRule).toContain('added to the Home Screen');
    expect(PUSH_SUPPORT_MESSAGES.appleRule).toContain('16.4');
  });

  it('gives the permission as unsupported where push cannot work (no Notification is ever read)', () => {
    // Node has none of the three.
    expect(pushPermission()).toBe('unsupported');
  });

  it('knows Apple platforms from the user agent (WebKit on Linux is not one)', () => {
    expect(isApplePlatform(UA.iPhone)).toBe(true);
    expect(isApplePlatform(UA.iPadAsMac)).toBe(true);
    expect(isApplePlatform(UA.webkitGtk)).toBe(false);
    expect(isApplePlatform(UA.firefoxLinux)).toBe(false);
  });
});

describe('notification actions', () => {
  const push = () => JSON.parse(JSON.stringify(wrapAsFcmDelivers(buildFcmMessage('t', buildNotePush({ uid: 'u1', noteId: 'n1', text: 'Milk', color: 'yellow', openCount: 1 }))))) as unknown;

  it('takes the number of slots from Notification.maxActions, and offers the actions where the browser does not say', () => {
    expect(notificationActionSlots({ maxActions: 2 })).toBe(2);
    expect(notificationActionSlots({ maxActions: 0 })).toBe(0);
    expect(notificationActionSlots(undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(notificationActionSlots(class {})).toBe(Number.POSITIVE_INFINITY);
  });

  it('shows a plain notification (a click opens the note) where there are no action buttons, and Mark done first where there is one', () => {
    const none = planNotification(push(), 0);
    expect(none.options).not.toHaveProperty('actions');
    expect(none.options.data.link).toBe('/?note=n1');
    expect(planNotification(push(), 1).options.actions).toEqual([{ action: 'done', title: 'Mark done' }]);
    expect(planNotification(push(), 2).options.actions?.map((a) => a.action)).toEqual(['done', 'open']);
  });
});

describe('Web Locks', () => {
  it('runs the work at once where there are none', async () => {
    expect(webLocks(undefined)).toBeUndefined();
    expect(webLocks({} as Navigator)).toBeUndefined();
    let ran = false;
    await expect(withWebLock('x', async () => ((ran = true), 7), {}, undefined)).resolves.toBe(7);
    expect(ran).toBe(true);
  });

  it('runs the work under the named lock where they exist, passing the signal', async () => {
    const asked: { name: string; signal?: AbortSignal }[] = [];
    const locks: LockRequester = {
      request: (name, options, callback) => {
        asked.push({ name, signal: options.signal });
        return callback();
      },
    };
    const controller = new AbortController();
    await expect(withWebLock('roaming-notes-sync-u1', async () => 'led', { signal: controller.signal }, locks)).resolves.toBe('led');
    expect(asked).toEqual([{ name: 'roaming-notes-sync-u1', signal: controller.signal }]);
    expect(webLocks({ locks } as unknown as Navigator)).toBe(locks);
  });
});

describe('storage persistence', () => {
  it('reports nothing, and asks nothing, where the Storage API is missing', async () => {
    expect(await storageReport(undefined)).toEqual({ usedBytes: undefined, quotaBytes: undefined, persistent: undefined, asked: false });
    await requestPersistenceOnce(undefined);
    await requestPersistenceOnce({});
    expect(await wasPersistenceAsked()).toBe(false);
  });

  it('asks once, and reports usage, persistence and that it asked', async () => {
    let asks = 0;
    const storage = {
      persist: async () => ((asks += 1), false),
      persisted: async () => false,
      estimate: async () => ({ usage: 2048, quota: 1 << 30 }),
    };
    await requestPersistenceOnce(storage);
    await requestPersistenceOnce(storage);
    expect(asks).toBe(1);
    expect(await storageReport(storage)).toEqual({ usedBytes: 2048, quotaBytes: 1 << 30, persistent: false, asked: true });
  });

  it('reports a failing estimate or persisted() as not reported', async () => {
    const failing = { estimate: () => Promise.reject(new Error('no')), persisted: () => Promise.reject(new Error('no')) };
    expect(await storageReport(failing)).toEqual({ usedBytes: undefined, quotaBytes: undefined, persistent: undefined, asked: false });
  });
});

describe('idle work without requestIdleCallback (Safari)', () => {
  /** Frames requested and not yet painted: the test paints one by calling it. */
  const frames: FrameRequestCallback[] = [];

  beforeEach(() => {
    // Timers only: the message that follows a painted frame goes through Node's real MessageChannel.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
  });

  afterEach(() => {
    frames.length = 0;
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('runs the work once, after the next frame is painted and not before', async () => {
    expect(typeof requestIdleCallback).toBe('undefined'); // Node has none, as Safari
    let runs = 0;
    const ran = new Promise<void>((resolve) =>
      whenIdle(() => {
        runs += 1;
        resolve();
      }),
    );
    expect(runs).toBe(0);
    // Every timer short of the no-frame wait: the work still waits for the frame.
    await vi.advanceTimersByTimeAsync(NO_FRAME_WAIT_MS - 1);
    expect(runs).toBe(0);
    expect(frames).toHaveLength(1);
    frames.shift()!(0);
    await ran;
    // The no-frame timer was cleared: the work does not run a second time.
    await vi.advanceTimersByTimeAsync(NO_FRAME_WAIT_MS);
    expect(runs).toBe(1);
  });

  it('runs the work after NO_FRAME_WAIT_MS where no frame comes (a hidden page)', async () => {
    let runs = 0;
    whenIdle(() => (runs += 1));
    await vi.advanceTimersByTimeAsync(NO_FRAME_WAIT_MS - 1);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
  });
});
