/**
 * Sending one data map to a person's devices: read their channels at send time, send in batches,
 * delete the channels FCM says are dead. The note fan-out and the reminder ring both go through
 * here, so both prune dead tokens alike.
 */
import { FieldValue, Timestamp, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { batches, classifySendOutcome, type ChannelRef, type PushSender } from './fanout.js';
import { FCM, buildFcmMessage } from './fcm-message.js';
import type { NotePushData, ReminderPushData, ReminderSettledPushData, TestPushData } from './shared/push.js';

export const CHANNELS = 'channels';

export interface DeliveryDeps {
  db: Firestore;
  sender: PushSender;
  /** https origin of the app, for the absolute fcmOptions.link FCM requires. */
  appOrigin?: string | undefined;
}

export interface Delivery {
  /** Messages sent: one per device of each note or occurrence. */
  channels: number;
  sent: number;
  failed: number;
  removed: number;
  batches: number;
}

/** Every channel of `uid`, read now: a channel another person has claimed since no longer matches. */
export async function channelsOf(db: Firestore, uid: string): Promise<ChannelRef[]> {
  const snapshot = await db.collection(CHANNELS).where('uid', '==', uid).get();
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return snapshot.docs.map((doc) => ({
    id: doc.id,
    token: text(doc.get('token')),
    deviceId: text(doc.get('deviceId')),
    deviceName: text(doc.get('deviceName')),
  }));
}

/** One message to send: a data map for a channel. */
export interface Send {
  channel: ChannelRef;
  data: NotePushData | ReminderPushData | ReminderSettledPushData | TestPushData;
}

/**
 * Sends each message (to valid tokens only) in batches of FCM's 500, whoever they are for, and
 * deletes the channels FCM reports dead. A failed batch fails the whole delivery (the caller gives
 * its claims back, and its retry sends again: a device may then get a message twice, which the
 * worker shows once).
 */
export async function deliverToChannels(deps: DeliveryDeps, sends: readonly Send[]): Promise<Delivery> {
  const { db, sender } = deps;
  const groups = batches(
    sends.filter((send) => send.channel.token !== ''),
    FCM.MAX_BATCH,
  );
  let sent = 0;
  let failed = 0;
  const dead = new Set<string>();
  // The batches go out side by side: a minute's reminders for many people must not wait in line.
  const outcomes = await Promise.all(
    groups.map((group) => sender.sendEach(group.map(({ channel, data }) => buildFcmMessage(channel.token, data, { appOrigin: deps.appOrigin })))),
  );
  groups.forEach((group, g) => {
    group.forEach(({ channel }, i) => {
      const verdict = classifySendOutcome(outcomes[g]!.responses[i]);
      if (verdict === 'sent') sent += 1;
      else failed += 1;
      if (verdict === 'drop-channel') dead.add(channel.id);
    });
  });
  for (const ids of batches([...dead], FCM.MAX_BATCH)) {
    const batch = db.batch();
    for (const id of ids) batch.delete(db.collection(CHANNELS).doc(id));
    await batch.commit();
  }
  return { channels: groups.flat().length, sent, failed, removed: dead.size, batches: groups.length };
}

/** gRPC ALREADY_EXISTS, what `create()` fails with when the document is there. */
export const ALREADY_EXISTS = 6;

/**
 * Claims a send once: creates the receipt `ref` (kept `ttlMs`, a Firestore TTL policy on expireAt
 * removes it), or undefined when it exists already (a replayed event or task). Give the receipt
 * back (delete it) when the send fails, so a retry may send.
 */
export async function claimReceipt(ref: DocumentReference, fields: Record<string, string | boolean>, ttlMs: number): Promise<DocumentReference | undefined> {
  try {
    await ref.create({ ...fields, at: FieldValue.serverTimestamp(), expireAt: Timestamp.fromMillis(Date.now() + ttlMs) });
    return ref;
  } catch (error) {
    if ((error as { code?: unknown }).code === ALREADY_EXISTS) return undefined;
    throw error;
  }
}
