/**
 * The merge rule, identical on every device. Each editable field merges on its own: the value
 * with the later hybrid-logical-clock stamp wins (hlc.ts), so edits to different fields
 * of one note both survive, and the same field resolves the same way everywhere. So a pending
 * local edit, stamped after everything its note had seen, is never overwritten by an older or
 * equal remote change, only by a later one, which wins on every device anyway; whether an outbox
 * entry is pending does not enter the rule. A deleted note stays deleted, with its text emptied.
 */
import { defaultOrderKey } from './order-key.js';
import {
  EDITABLE_FIELDS,
  MAX_NOTE_TEXT_LENGTH,
  MERGED_FIELDS,
  checklistProblem,
  fieldValue,
  sameValue,
  type EditableField,
  type MergedField,
  type NoteContent,
} from '../shared/note.js';
import { mergeChecklists } from './checklist-merge.js';
import { mergeLabelSets } from './label-merge.js';
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
   * This device's unsent text or checklist, when merging it with the other device's would not fit
   * in a note: the note takes the other device's, and this one is kept as a note of its own
   * (sync-state.ts).
   */
  unmerged?: Unmerged;
}

/** A merged field's value of this device that did not fit in the merged note (labels always fit). */
export type Unmerged = { [F in Exclude<MergedField, 'labels'>]: { field: F; value: NonNullable<NoteContent[F]> } }[Exclude<MergedField, 'labels'>];

/** This device, as a merge needs it: which stamps are its own, and a stamp for a merged value. */
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
      // A note from before checklists has none (no clock either).
      ...(remote.items ? { items: remote.items } : {}),
      ...(remote.labels ? { labels: remote.labels } : {}),
      ...(remote.reminder !== undefined ? { reminder: remote.reminder } : {}),
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
  let unmerged: MergeResult['unmerged'];
  if (device) {
    for (const field of MERGED_FIELDS) {
      const value = mergeUnsent(field, local, remote, next, device, newerHere);
      if (value !== undefined) unmerged = { field, value } as Unmerged;
    }
  }
  const note = normalize(next);
  // Besides what was taken, a merge of this device's unsent edit (a merged field, its base) or a tombstone's normalizing changes the note.
  const changed = tookRemote || note.lane !== local.lane || note.bases !== local.bases || MERGED_FIELDS.some((field) => !sameValue(field, note[field], local[field]));
  return { note, changed, newerHere, unmerged };
}

/** How each merged field's two edits are merged, and the most it may hold. */
const MERGES: { [F in MergedField]: { merge: (base: Value<F>, ours: Value<F>, theirs: Value<F>) => Value<F>; fits: (value: Value<F>) => boolean } } = {
  text: { merge: mergeTexts, fits: (text) => text.length <= MAX_NOTE_TEXT_LENGTH },
  items: { merge: mergeChecklists, fits: (items) => checklistProblem(items) === null },
  // A merge never holds more than a note may carry (mergeLabelSets): labels always fit.
  labels: { merge: mergeLabelSets, fits: () => true },
};

type Value<F extends MergedField> = NonNullable<NoteContent[F]>;

/**
 * When this device holds an unsent edit of a merged field (a base in local.bases) and the
 * server's value is an edit made elsewhere since that base, the two edits are merged against it
 * (the text word by word, a checklist item by item) and the result is stamped as a new edit here,
 * later than both, and queued: this device is the one that merges, the rules take the result only
 * onto the value it merged (FieldEdit in note.ts), and every other device takes it by its stamp
 * like any edit. The server's value becomes the new base. This device's own write coming back
 * only moves the base (the server holds it now).
 * Returns this device's value when the merged value would be too large to save.
 */
function mergeUnsent<F extends MergedField>(field: F, local: NoteRecord, remote: RemoteNote, next: NoteRecord, device: MergingDevice, newerHere: EditableField[]): Value<F> | undefined {
  const base = local.bases?.[field] as { value: Value<F>; stamp: string } | undefined;
  const there = remote.clocks[field];
  const theirs = remote[field] as Value<F> | undefined;
  if (!base || there === undefined || there <= base.stamp || theirs === undefined) return undefined;
  if (local.deleted || remote.deleted || there === local.clocks[field]) return undefined;
  next.bases = { ...next.bases, [field]: { value: theirs, stamp: there } };
  const take = (value: Value<F>, stamp: string) => {
    (next as unknown as Record<F, Value<F>>)[field] = value;
    next.clocks[field] = stamp;
  };
  if (parseStamp(there)?.deviceId === device.deviceId) return undefined;
  const ours = fieldValue(local, field) as Value<F>;
  const edit = remote.edits?.[field];
  // Made from this device's own value, sent but not yet acknowledged here: it holds our edit.
  if (edit?.stamp === there && edit.from === local.clocks[field]) return void take(theirs, there);
  const { merge, fits } = MERGES[field];
  const merged = merge(base.value, ours, theirs);
  // Nothing of ours is missing from the server's value: take it as it is, with nothing to send.
  if (sameValue(field, merged, theirs)) return void take(theirs, there);
  if (!fits(merged)) {
    take(theirs, there);
    return ours;
  }
  take(merged, device.nextStamp());
  if (!newerHere.includes(field)) newerHere.push(field);
  return undefined;
}

/** Rules every device applies after merging, so they agree on the result. */
function normalize(note: NoteRecord): NoteRecord {
  if (note.deleted) {
    note.text = '';
    note.pinned = false;
    if (note.items) note.items = [];
    if (note.labels) note.labels = [];
    if (note.reminder) note.reminder = null;
  }
  return withIndexFields(note);
}
