/**
 * The merge rule, identical on every device. Each editable field merges on its own: the value
 * with the later hybrid-logical-clock stamp wins (hlc.ts), so edits to different fields
 * of one note both survive, and the same field resolves the same way everywhere. So a pending
 * local edit, stamped after everything its note had seen, is never overwritten by an older or
 * equal remote change, only by a later one, which wins on every device anyway; whether an outbox
 * entry is pending does not enter the rule. A deleted note stays deleted, with its text emptied.
 */
import { defaultOrderKey } from './order-key.js';
import { EDITABLE_FIELDS, MAX_NOTE_TEXT_LENGTH, type EditableField } from '../shared/note.js';
import { parseStamp } from './hlc.js';
import { mergeTexts } from './text-merge.js';
import { withIndexFields, type NoteRecord } from './database.js';
import { serverMillis, type RemoteNote } from './remote-note.js';

export interface MergeResult {
  note: NoteRecord;
  /** The local note differs from before. */
  changed: boolean;
  /**
   * Fields where this device knows a later edit than the server: they must be sent again, even
   * when an outbox entry for them is pending, since that entry's write may already be on its way
   * and have landed before the older change just received.
   */
  newerHere: EditableField[];
  /**
   * This device's unsent text, when merging it with the other device's would not fit in a note:
   * the note takes the other text and this one is kept as a note of its own (sync-state.ts).
   */
  unmergedText?: string;
}

/** This device, as a text merge needs it: which stamps are its own, and a stamp for the merged text. */
export interface MergingDevice {
  deviceId: string;
  nextStamp: () => string;
}

export function mergeRemote(local: NoteRecord | undefined, remote: RemoteNote, device?: MergingDevice): MergeResult {
  if (!local) {
    const note = normalize({
      id: remote.id,
      text: remote.text,
      color: remote.color,
      pinned: remote.pinned,
      done: remote.done,
      trashed: remote.trashed,
      deleted: remote.deleted,
      // A note written by an app version before board order has no key: the default from
      // createdAt, the same on every device, and not queued (no clock) until someone moves it.
      order: remote.order ?? defaultOrderKey(remote.createdAt),
      // A note from an app version before the archive has no field: not archived (no clock either).
      archived: remote.archived === true,
      createdAt: remote.createdAt,
      updatedAt: serverMillis(remote.updatedAt),
      clocks: { ...remote.clocks },
      lane: 0,
      open: 0,
    });
    return { note, changed: true, newerHere: [] };
  }
  const next: NoteRecord = { ...local, clocks: { ...local.clocks } };
  const newerHere: EditableField[] = [];
  let tookRemote = false;
  for (const field of EDITABLE_FIELDS) {
    const here = local.clocks[field] ?? '';
    const there = remote.clocks[field] ?? '';
    if (there > here && remote[field] !== undefined) {
      // Later than the local value, pending or not: a pending edit was stamped after everything
      // this note had seen, so a later stamp is an edit it did not see, and it wins everywhere.
      // Keeping the pending value instead diverges when the later edit arrives between our
      // write's commit and its acknowledgement: the checkpoint passes it and nobody resends it.
      (next as unknown as Record<EditableField, unknown>)[field] = remote[field];
      next.clocks[field] = there;
      tookRemote = true;
    } else if (here > there) {
      newerHere.push(field);
    }
  }
  if (tookRemote) next.updatedAt = Math.max(local.updatedAt, serverMillis(remote.updatedAt));
  const unmergedText = device ? mergeUnsentText(local, remote, next, device, newerHere) : undefined;
  const note = normalize(next);
  return { note, changed: tookRemote || note.text !== local.text || note.lane !== local.lane || note.textBase !== local.textBase, newerHere, unmergedText };
}

/**
 * When this device holds an unsent edit of the text (local.textBase) and the server's text is an
 * edit made elsewhere since that base, the two edits are merged against it (text-merge.ts) and
 * the result is stamped as a new edit here, later than both, and queued: this device is the one
 * that merges, the rules take the result only onto the text it merged (TextEdit in note.ts), and
 * every other device takes it by its stamp like any edit. The server's text becomes the new base.
 * This device's own write coming back only moves the base (the server holds it now).
 * Returns this device's text when the merged text would be too long to save.
 */
function mergeUnsentText(local: NoteRecord, remote: RemoteNote, next: NoteRecord, device: MergingDevice, newerHere: EditableField[]): string | undefined {
  const base = local.textBase;
  const there = remote.clocks.text;
  if (!base || there === undefined || there <= base.stamp || remote.text === undefined) return undefined;
  if (local.deleted || remote.deleted || there === local.clocks.text) return undefined;
  next.textBase = { text: remote.text, stamp: there };
  if (parseStamp(there)?.deviceId === device.deviceId) return undefined;
  if (remote.textEdit?.stamp === there && remote.textEdit.from === local.clocks.text) {
    // Made from this device's own text, sent but not yet acknowledged here: it holds our words.
    next.text = remote.text;
    next.clocks.text = there;
    return undefined;
  }
  const merged = mergeTexts(base.text, local.text, remote.text);
  if (merged === remote.text) {
    // Nothing of ours is missing from the server's text: take it as it is, with nothing to send.
    next.text = remote.text;
    next.clocks.text = there;
    return undefined;
  }
  if (merged.length > MAX_NOTE_TEXT_LENGTH) {
    next.text = remote.text;
    next.clocks.text = there;
    return local.text;
  }
  next.text = merged;
  next.clocks.text = device.nextStamp();
  if (!newerHere.includes('text')) newerHere.push('text');
  return undefined;
}

/** Rules every device applies after merging, so they agree on the result. */
function normalize(note: NoteRecord): NoteRecord {
  if (note.deleted) {
    note.text = '';
    note.pinned = false;
  }
  return withIndexFields(note);
}
