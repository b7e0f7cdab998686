/**
 * What the worker shows for a push (sw/notifications.ts) and the app badge helper
 * (src/push/badge.ts), without a browser: the browser tests deliver real pushes.
 */
import { describe, expect, it } from 'vitest';
import { showAppBadge } from '../../src/push/badge';
import { buildFcmMessage } from '../../functions/src/fcm-message';
import { buildNotePush, buildTestPush } from '../../src/shared/push';
import { wrapAsFcmDelivers } from '../support/fcm-envelope';
import { NOTIFICATION, planNotification, readNotificationData } from '../../sw/notifications';

const envelope = (text: string, openCount = 4) =>
  JSON.parse(JSON.stringify(wrapAsFcmDelivers(buildFcmMessage('t', buildNotePush({ uid: 'u1', noteId: 'n1', text, color: 'yellow', openCount })))));

describe('planNotification', () => {
  it('shows a note push with its first line as title, the rest as body, tag = note id, two actions', () => {
    expect(planNotification(envelope('Pick up milk\nand bread'))).toEqual({
      title: 'Pick up milk',
      options: {
        body: 'and bread',
        tag: 'n1',
        icon: '/icons/icon-192.png',
        data: { noteId: 'n1', uid: 'u1', link: '/?note=n1' },
        actions: [
          { action: 'done', title: 'Mark done' },
          { action: 'open', title: 'Open' },
        ],
      },
      badge: 4,
    });
  });

  it('shows the generic notification, with the reason, for anything malformed', () => {
    for (const bad of [undefined, null, 'text', { data: {} }, { data: { ...envelope('x').data, color: 'red' } }]) {
      const planned = planNotification(bad);
      expect(planned.title).toBe(NOTIFICATION.GENERIC_TITLE);
      expect(planned.options.body).toBe('You have a new note');
      expect(planned.options.actions).toBeUndefined();
      expect(planned.badge).toBeUndefined();
      expect(planned.problem).toBeTruthy();
    }
  });

  it('shows a test push without actions', () => {
    const planned = planNotification(JSON.parse(JSON.stringify(wrapAsFcmDelivers(buildFcmMessage('t', buildTestPush({ uid: 'u1', deviceName: 'Phone' }))))));
    expect(planned.title).toBe('Test notification');
    expect(planned.options.body).toBe('Notifications work on Phone.');
    expect(planned.options.actions).toBeUndefined();
  });
});

describe('readNotificationData', () => {
  it('keeps same-origin paths only', () => {
    expect(readNotificationData({ link: '/?note=a', noteId: 'a', uid: 'u' })).toEqual({ link: '/?note=a', noteId: 'a', uid: 'u' });
    expect(readNotificationData({ link: 'https://evil.example/' }).link).toBe('/');
    expect(readNotificationData({ link: '//evil.example/' }).link).toBe('/');
    expect(readNotificationData(null)).toEqual({ link: '/', noteId: undefined, uid: undefined });
  });
});

describe('the app badge', () => {
  it('sets the count, clears at zero, and says when it is unsupported or refused', async () => {
    const calls: string[] = [];
    const nav = {
      setAppBadge: async (n?: number) => void calls.push(`set ${n}`),
      clearAppBadge: async () => void calls.push('clear'),
    };
    expect(await showAppBadge(3, nav)).toBe(true);
    expect(await showAppBadge(0, nav)).toBe(true);
    expect(calls).toEqual(['set 3', 'clear']);
    expect(await showAppBadge(3, {})).toBe(false);
    expect(await showAppBadge(3, { setAppBadge: () => Promise.reject(new DOMException('no', 'NotAllowedError')) })).toBe(false);
  });
});
