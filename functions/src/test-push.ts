/**
 * "Send a test notification" from My devices: one push to one of the caller's own channels.
 * Kept apart from the callable wrapper so tests run it with a recording sender.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { classifySendOutcome, type PushSender } from './fanout.js';
import { buildFcmMessage } from './fcm-message.js';
import { buildTestPush } from './shared/push.js';

export type TestPushResult =
  | { ok: true }
  | { ok: false; code: 'invalid-argument' | 'not-found' | 'failed-precondition' | 'unavailable'; message: string };

const CHANNEL_ID = /^[0-9a-f]{64}$/;

export async function sendTestPushTo(
  deps: { db: Firestore; sender: PushSender; appOrigin?: string },
  uid: string,
  channelId: unknown,
): Promise<TestPushResult> {
  if (typeof channelId !== 'string' || !CHANNEL_ID.test(channelId)) {
    return { ok: false, code: 'invalid-argument', message: 'channelId must be a channel id (64 lowercase hex digits).' };
  }
  const ref = deps.db.collection('channels').doc(channelId);
  const channel = await ref.get();
  // Someone else's channel looks exactly like a missing one: its existence is not revealed.
  if (!channel.exists || channel.get('uid') !== uid || typeof channel.get('token') !== 'string') {
    return { ok: false, code: 'not-found', message: 'That device is not one of yours (any more).' };
  }
  const deviceName = typeof channel.get('deviceName') === 'string' ? (channel.get('deviceName') as string) : 'this device';
  const message = buildFcmMessage(channel.get('token') as string, buildTestPush({ uid, deviceName }), { appOrigin: deps.appOrigin });
  const { responses } = await deps.sender.sendEach([message]);
  const verdict = classifySendOutcome(responses[0]);
  if (verdict === 'sent') return { ok: true };
  if (verdict === 'drop-channel') {
    await ref.delete();
    return { ok: false, code: 'failed-precondition', message: 'That device can no longer get notifications, so it was removed from your devices.' };
  }
  return { ok: false, code: 'unavailable', message: 'The notification service did not take the message. Try again in a moment.' };
}
