/**
 * The push fan-out for a created note, independent of the Functions runtime: the trigger in
 * index.ts passes the event, Firestore and a sender; tests call it the same way with a recording
 * sender. Steps, in order: validate; send nothing for a trashed, deleted, archived or empty note; claim the
 * event (the trigger is at-least-once); count the open notes for the badge; read the person's
 * channels now, at send time; send in batches; delete the channels FCM says are dead.
 */
import { FieldValue, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { batches, classifySendOutcome, recipients, type ChannelRef, type PushSender } from './fanout.js';
import { parseCreatedNote } from './created-note.js';
import { FCM, buildFcmMessage } from './fcm-message.js';
import { checklistFrom } from './shared/note.js';
import { buildNotePush, previewOf, previewTextOf } from './shared/push.js';

/** Where things live and how long receipts are kept, in one place. */
export const FANOUT = {
  RECEIPTS: 'pushReceipts',
  CHANNELS: 'channels',
  /** A receipt only has to outlive the trigger's retries; a Firestore TTL policy on expireAt removes it. */
  RECEIPT_TTL_MS: 7 * 24 * 60 * 60 * 1000,
} as const;

export interface NoteCreatedEvent {
  id: string;
  params: Record<string, unknown>;
  data: unknown;
}

export interface FanoutDeps {
  db: Firestore;
  sender: PushSender;
  /** https origin of the app, for the absolute fcmOptions.link FCM requires. */
  appOrigin?: string;
}

export type FanoutResult =
  | { status: 'invalid'; reason: string }
  | { status: 'skipped'; reason: 'trashed' | 'deleted' | 'archived' | 'empty' }
  | { status: 'duplicate' }
  | { status: 'sent'; channels: number; sent: number; failed: number; removed: number; batches: number; openCount: number };

/** gRPC ALREADY_EXISTS, what `create()` fails with when the document is there. */
const ALREADY_EXISTS = 6;

function receiptId(eventId: string): string {
  // Document ids cannot contain "/" and are capped at 1,500 bytes; event ids are UUID-like anyway.
  return eventId.replaceAll('/', '_').slice(0, 500);
}

export async function fanOutNotePush(deps: FanoutDeps, event: NoteCreatedEvent): Promise<FanoutResult> {
  const parsed = parseCreatedNote(event.params, event.data);
  if (!parsed.ok) return { status: 'invalid', reason: parsed.reason };
  if (typeof event.id !== 'string' || event.id === '') return { status: 'invalid', reason: 'missing event id' };
  const note = parsed.note;
  if (note.deleted) return { status: 'skipped', reason: 'deleted' };
  if (note.trashed) return { status: 'skipped', reason: 'trashed' };
  // Made already archived (a moved guest note, an import): it is not on any board to be told about.
  if (note.archived) return { status: 'skipped', reason: 'archived' };
  const text = (event.data as { text: string }).text;
  const items = checklistFrom((event.data as { items?: unknown }).items);
  if (previewOf(previewTextOf(text, items)) === '') return { status: 'skipped', reason: 'empty' };

  const { db, sender } = deps;
  const receipt = db.collection(FANOUT.RECEIPTS).doc(receiptId(event.id));
  try {
    await receipt.create({
      uid: note.uid,
      noteId: note.noteId,
      at: FieldValue.serverTimestamp(),
      expireAt: Timestamp.fromMillis(Date.now() + FANOUT.RECEIPT_TTL_MS),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === ALREADY_EXISTS) return { status: 'duplicate' };
    throw error;
  }

  try {
    const notes = db.collection('users').doc(note.uid).collection('notes');
    const open = notes.where('trashed', '==', false).where('deleted', '==', false).where('done', '==', false);
    const [countSnapshot, archivedSnapshot, channelSnapshot] = await Promise.all([
      open.count().get(),
      // Archived notes are off the board, so not open (as the app counts them). Documents from
      // before the archive have no field, so they are counted above and never here.
      open.where('archived', '==', true).count().get(),
      // Read at send time: a channel another person has claimed since no longer matches this uid.
      db.collection(FANOUT.CHANNELS).where('uid', '==', note.uid).get(),
    ]);
    const openCount = countSnapshot.data().count - archivedSnapshot.data().count;
    const channels: ChannelRef[] = channelSnapshot.docs.map((doc) => ({
      id: doc.id,
      token: typeof doc.get('token') === 'string' ? (doc.get('token') as string) : '',
      deviceId: typeof doc.get('deviceId') === 'string' ? (doc.get('deviceId') as string) : '',
    }));
    const targets = recipients(channels, note.updatedBy);
    const data = buildNotePush({ uid: note.uid, noteId: note.noteId, text, items, color: note.color, openCount });
    const groups = batches(targets, FCM.MAX_BATCH);
    let sent = 0;
    let failed = 0;
    const dead: string[] = [];
    for (const group of groups) {
      const { responses } = await sender.sendEach(group.map((channel) => buildFcmMessage(channel.token, data, { appOrigin: deps.appOrigin })));
      group.forEach((channel, i) => {
        const verdict = classifySendOutcome(responses[i]);
        if (verdict === 'sent') sent += 1;
        else failed += 1;
        if (verdict === 'drop-channel') dead.push(channel.id);
      });
    }
    for (const ids of batches(dead, FCM.MAX_BATCH)) {
      const batch = db.batch();
      for (const id of ids) batch.delete(db.collection(FANOUT.CHANNELS).doc(id));
      await batch.commit();
    }
    return { status: 'sent', channels: targets.length, sent, failed, removed: dead.length, batches: groups.length, openCount };
  } catch (error) {
    // Nothing (or not everything) went out: give the receipt back so a retry of this event may send.
    await receipt.delete().catch(() => undefined);
    throw error;
  }
}
