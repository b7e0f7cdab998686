/**
 * The push fan-out for a created note, independent of the Functions runtime: the trigger in
 * index.ts passes the event, Firestore and a sender; tests call it the same way with a recording
 * sender. Steps, in order: validate; send nothing for a trashed, deleted, archived or empty note; claim the
 * event (the trigger is at-least-once); count the open notes for the badge; read the person's
 * channels now, at send time; send in batches; delete the channels FCM says are dead.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { CHANNELS, channelsOf, claimReceipt, deliverToChannels } from './channel-delivery.js';
import { recipients, type PushSender } from './fanout.js';
import { parseCreatedNote } from './created-note.js';
import { checklistFrom } from './shared/note.js';
import { buildNotePush, previewOf, previewTextOf } from './shared/push.js';

/** Where things live and how long receipts are kept, in one place. */
export const FANOUT = {
  RECEIPTS: 'pushReceipts',
  CHANNELS,
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

  const { db } = deps;
  const receipt = await claimReceipt(db.collection(FANOUT.RECEIPTS).doc(receiptId(event.id)), { uid: note.uid, noteId: note.noteId }, FANOUT.RECEIPT_TTL_MS);
  if (!receipt) return { status: 'duplicate' };

  try {
    const notes = db.collection('users').doc(note.uid).collection('notes');
    const open = notes.where('trashed', '==', false).where('deleted', '==', false).where('done', '==', false);
    const [countSnapshot, archivedSnapshot, channels] = await Promise.all([
      open.count().get(),
      // Archived notes are off the board, so not open (as the app counts them). Documents from
      // before the archive have no field, so they are counted above and never here.
      open.where('archived', '==', true).count().get(),
      channelsOf(db, note.uid),
    ]);
    const openCount = countSnapshot.data().count - archivedSnapshot.data().count;
    const targets = recipients(channels, note.updatedBy);
    const data = buildNotePush({ uid: note.uid, noteId: note.noteId, text, items, color: note.color, openCount });
    const delivery = await deliverToChannels(deps, targets.map((channel) => ({ channel, data })));
    return { status: 'sent', ...delivery, openCount };
  } catch (error) {
    // Nothing (or not everything) went out: give the receipt back so a retry of this event may send.
    await receipt.delete().catch(() => undefined);
    throw error;
  }
}
