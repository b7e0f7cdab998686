/**
 * The merge rule, identical on every device. Each editable field merges on its own: the value
 * with the later hybrid-logical-clock stamp wins (hlc.ts), so edits to different fields
 * of one note both survive, and the same field resolves the same way everywhere. So a pending
 * local edit, stamped after everything its note had seen, is never overwritten by an older or
 * equal remote change, only by a later one, which wins on every device anyway; whether an outbox
 * entry is pending does not enter the rule. A deleted note stays deleted, with its text emptied.
 */
import { defaultOrderKey } from './order-key.js';
import { EDITABLE_FIELDS, type EditableField } from '../shared/note.js';
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
}

export function mergeRemote(local: NoteRecord | undefined, remote: RemoteNote): MergeResult {
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
  const note = normalize(next);
  return { note, changed: tookRemote || note.text !== local.text || note.lane !== local.lane, newerHere };
}

/** Rules every device applies after merging, so they agree on the result. */
function normalize(note: NoteRecord): NoteRecord {
  if (note.deleted) {
    note.text = '';
    note.pinned = false;
  }
  return withIndexFields(note);
}
