/**
 * The security rules matrix, against the real Firestore emulator: who may read and write
 * notes and push channels, and which documents are valid. Every case asserts that one
 * operation is allowed or denied; valid documents come from rules-helpers and each invalid
 * case breaks exactly one thing.
 */
import { readFileSync } from 'node:fs';
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import {
  Timestamp,
  collection,
  collectionGroup,
  deleteDoc,
  deleteField,
  doc,
  documentId,
  getDoc,
  getDocs,
  orderBy,
  query,
  serverTimestamp,
  setDoc,
  updateDoc,
  where,
  type DocumentData,
} from 'firebase/firestore';
import { beforeEach, describe, expect, it } from 'vitest';
import * as firestoreSdk from 'firebase/firestore';
import { EDITABLE_FIELDS, MAX_NOTE_TEXT_LENGTH, MAX_ORDER_KEY_LENGTH, NOTE_COLORS, type EditableField } from '../../src/shared/note';
import type { NoteRecord } from '../../src/db/database';
import { FirestoreRemote } from '../../src/sync/firestore-remote';
import { buildWrite } from '../../src/sync/outgoing';
import {
  ALICE,
  BOB,
  CREATED_AT,
  FIXED_TIME,
  RULES_PATH,
  channelData,
  channelIdOf,
  noteData,
  storedChannelData,
  storedNoteData,
  useRulesEnvironment,
  without,
} from './rules-helpers';

const { alice, bob, nobody, seed } = useRulesEnvironment();

describe('the rules file', () => {
  // Not an emulator case: keeps the lists the rules spell out in step with src/shared/note.ts.
  const rules = readFileSync(RULES_PATH, 'utf8');
  const listIn = (fn: string) => {
    const body = new RegExp(`function ${fn}\\(\\) \\{\\s*return \\[([^\\]]*)\\]`).exec(rules)?.[1] ?? '';
    return body.split(',').map((item) => item.trim().replace(/^'|'$/g, ''));
  };

  it('has the palette of src/shared/note.ts', () => {
    expect(listIn('noteColors')).toEqual([...NOTE_COLORS]);
  });

  it('has the editable fields of src/shared/note.ts', () => {
    expect(listIn('editableFields')).toEqual([...EDITABLE_FIELDS]);
  });

  it('has the text limit of src/shared/note.ts', () => {
    expect(rules).toContain(`isStringOfSize(note.text, 0, ${MAX_NOTE_TEXT_LENGTH})`);
  });

  it('has the order-key limit of src/shared/note.ts', () => {
    expect(rules).toContain(`isStringOfSize(note.order, 1, ${MAX_ORDER_KEY_LENGTH})`);
  });
});

describe('board order (the optional order key)', () => {
  const notePath = `users/${ALICE}/notes/note-1`;
  const aliceNote = () => doc(alice(), notePath);
  const ORDER_STAMP = '0000018f2a1b3c4d:0000:device-desktop';
  const LATER_STAMP = '0000018f2a1b3c4e:0000:device-phone';
  const OLDER_STAMP = '0000018f2a1b3c4c:0009:device-phone';

  it.each([
    ['one character', 'a'],
    [`${MAX_ORDER_KEY_LENGTH} characters`, `a0${'V'.repeat(MAX_ORDER_KEY_LENGTH - 2)}`],
  ])('accepts a create with an order of %s and its clock', async (_name, order) => {
    await assertSucceeds(setDoc(aliceNote(), noteData({ order, clocks: { text: ORDER_STAMP, order: ORDER_STAMP } })));
  });

  it('accepts a create without order (every app version before board order)', async () => {
    await assertSucceeds(setDoc(aliceNote(), noteData()));
  });

  it.each([
    ['empty', ''],
    [`${MAX_ORDER_KEY_LENGTH + 1} characters`, `a0${'V'.repeat(MAX_ORDER_KEY_LENGTH - 1)}`],
    ['a number', 5],
    ['null', null],
  ])('refuses an order that is %s', async (_name, order) => {
    await assertFails(setDoc(aliceNote(), noteData({ order })));
  });

  it('refuses an order clock without an order', async () => {
    await assertFails(setDoc(aliceNote(), noteData({ clocks: { text: ORDER_STAMP, order: ORDER_STAMP } })));
  });

  it('refuses an order clock that is not a short string', async () => {
    await assertFails(setDoc(aliceNote(), noteData({ order: 'a0', clocks: { order: 'x'.repeat(65) } })));
  });

  describe('on a note that has an order', () => {
    beforeEach(async () => {
      await seed(notePath, storedNoteData({ order: 'a5', clocks: { text: ORDER_STAMP, order: ORDER_STAMP } }));
    });

    it('accepts a move with a later stamp', async () => {
      await assertSucceeds(setDoc(aliceNote(), { order: 'a3', clocks: { order: LATER_STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-phone' }, { merge: true }));
    });

    it('refuses a move with an older stamp than the server holds', async () => {
      await assertFails(setDoc(aliceNote(), { order: 'a3', clocks: { order: OLDER_STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-phone' }, { merge: true }));
    });

    it('refuses a whole-document write that drops the order clock', async () => {
      await assertFails(setDoc(aliceNote(), noteData({ order: 'a5', clocks: { text: ORDER_STAMP } })));
    });

    it('accepts a write shaped exactly like today’s FirestoreRemote.write (no order), and the order survives it', async () => {
      // What an installed app from before board order sends for a text edit: the changed fields,
      // their clocks, updatedAt by the server and updatedBy, as a merge write.
      const todaysWrite: DocumentData = {
        text: 'Edited on a phone that has not updated yet',
        clocks: { text: LATER_STAMP },
        updatedAt: serverTimestamp(),
        updatedBy: 'device-old-phone',
      };
      await assertSucceeds(setDoc(aliceNote(), todaysWrite, { merge: true }));
      const stored = (await getDoc(aliceNote())).data()!;
      expect(stored).toMatchObject({ text: todaysWrite.text, order: 'a5', clocks: { text: LATER_STAMP, order: ORDER_STAMP } });
    });

    it('accepts today’s create-shaped resend (every field it knows, no order), keeping the order', async () => {
      const resend = { ...noteData({ clocks: { text: LATER_STAMP } }) };
      await assertSucceeds(setDoc(aliceNote(), resend, { merge: true }));
      expect((await getDoc(aliceNote())).data()).toMatchObject({ order: 'a5', clocks: { order: ORDER_STAMP } });
    });

    it('refuses removing the order', async () => {
      await assertFails(updateDoc(aliceNote(), { order: deleteField(), updatedAt: serverTimestamp() }));
    });
  });
});

/** A note as the app stores it on a device (no archived flag: the version before the archive had none). */
function storedNote(text: string, clocks: Record<string, string>): Omit<NoteRecord, 'archived'> {
  return {
    id: 'note-1',
    text,
    color: 'yellow',
    pinned: false,
    done: false,
    trashed: false,
    deleted: false,
    order: 'a5',
    createdAt: CREATED_AT.toMillis(),
    updatedAt: 0,
    lane: 1,
    open: 1,
    clocks,
  };
}

describe('archive (the optional archived flag)', () => {
  const notePath = `users/${ALICE}/notes/note-1`;
  const aliceNote = () => doc(alice(), notePath);
  const STAMP = '0000018f2a1b3c4d:0000:device-desktop';
  const LATER_STAMP = '0000018f2a1b3c4e:0000:device-phone';
  const OLDER_STAMP = '0000018f2a1b3c4c:0009:device-phone';
  /** The fields the app version before the archive knew (its EDITABLE_FIELDS). */
  const PREVIOUS_FIELDS: EditableField[] = ['text', 'color', 'pinned', 'done', 'trashed', 'deleted', 'order'];

  /**
   * Sends a write through the app's own transport (FirestoreRemote.write, unchanged by the
   * archive), built by the app's own buildWrite from a note the previous version stored: no
   * archived field, no clock for it, outbox entries naming only the fields it knew. That is the
   * previous version's write, byte for byte, not a re-creation of it.
   */
  async function writeAsPreviousVersion(note: Omit<NoteRecord, 'archived'>, fields: EditableField[], created: boolean): Promise<void> {
    const remote = new FirestoreRemote(alice(), firestoreSdk, ALICE, 'device-old-phone', () => ALICE);
    const change = buildWrite(note as NoteRecord, [{ created, fields }] as never);
    expect('archived' in change.values).toBe(false);
    await remote.write([change]);
  }

  const previousNote = (clocks: Record<string, string>, text = 'Written by the previous version'): Omit<NoteRecord, 'archived'> => storedNote(text, clocks);

  it.each([true, false])('accepts a create with archived %s and its clock', async (archived) => {
    await assertSucceeds(setDoc(aliceNote(), noteData({ archived, clocks: { text: STAMP, archived: STAMP } })));
  });

  it('accepts a create without archived (every app version before the archive)', async () => {
    await assertSucceeds(setDoc(aliceNote(), noteData()));
  });

  it.each([
    ['a string', 'true'],
    ['a number', 1],
    ['null', null],
    ['a map', { value: true }],
  ])('refuses archived that is %s', async (_name, archived) => {
    await assertFails(setDoc(aliceNote(), noteData({ archived, clocks: { archived: STAMP } })));
  });

  it('refuses an archived clock without the flag', async () => {
    await assertFails(setDoc(aliceNote(), noteData({ clocks: { text: STAMP, archived: STAMP } })));
  });

  it.each([
    ['not a string', 7],
    ['65 characters', 'x'.repeat(65)],
  ])('refuses an archived clock that is %s', async (_name, clock) => {
    await assertFails(setDoc(aliceNote(), noteData({ archived: true, clocks: { archived: clock } })));
  });

  it('accepts the previous version’s create, sent by the app’s own transport, with no archived field', async () => {
    await writeAsPreviousVersion(previousNote(Object.fromEntries(PREVIOUS_FIELDS.map((field) => [field, STAMP]))), PREVIOUS_FIELDS, true);
    const stored = (await getDoc(aliceNote())).data()!;
    expect('archived' in stored).toBe(false);
    expect(stored.clocks).not.toHaveProperty('archived');
  });

  describe('on an archived note', () => {
    beforeEach(async () => {
      await seed(notePath, storedNoteData({ order: 'a5', archived: true, clocks: { text: STAMP, order: STAMP, archived: STAMP } }));
    });

    it('accepts an unarchive with a later stamp', async () => {
      await assertSucceeds(setDoc(aliceNote(), { archived: false, clocks: { archived: LATER_STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-phone' }, { merge: true }));
    });

    it('accepts a resend of the archive with the same stamp', async () => {
      await assertSucceeds(setDoc(aliceNote(), { archived: true, clocks: { archived: STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-desktop' }, { merge: true }));
    });

    it('refuses an unarchive with an older stamp than the server holds', async () => {
      await assertFails(setDoc(aliceNote(), { archived: false, clocks: { archived: OLDER_STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-phone' }, { merge: true }));
    });

    it('refuses a whole-document write that drops the archived stamp', async () => {
      await assertFails(setDoc(aliceNote(), noteData({ order: 'a5', archived: true, clocks: { text: LATER_STAMP, order: STAMP } })));
    });

    it('refuses removing the flag while its stamp stays', async () => {
      await assertFails(updateDoc(aliceNote(), { archived: deleteField(), updatedAt: serverTimestamp() }));
    });

    it('refuses removing the stamp', async () => {
      await assertFails(updateDoc(aliceNote(), { 'clocks.archived': deleteField(), updatedAt: serverTimestamp() }));
    });

    it('accepts the previous version’s text edit, sent by the app’s own transport, and the archive survives it', async () => {
      await writeAsPreviousVersion(previousNote({ text: LATER_STAMP }, 'Edited on a phone that has not updated yet'), ['text'], false);
      const stored = (await getDoc(aliceNote())).data()!;
      expect(stored).toMatchObject({
        text: 'Edited on a phone that has not updated yet',
        archived: true,
        order: 'a5',
        clocks: { text: LATER_STAMP, order: STAMP, archived: STAMP },
      });
    });

    it('accepts the previous version’s create-shaped resend (every field it knew), keeping the archive', async () => {
      const clocks = Object.fromEntries(PREVIOUS_FIELDS.map((field) => [field, LATER_STAMP]));
      await writeAsPreviousVersion(previousNote(clocks), PREVIOUS_FIELDS, true);
      expect((await getDoc(aliceNote())).data()).toMatchObject({ archived: true, clocks: { archived: STAMP, text: LATER_STAMP } });
    });

    it('accepts the previous version’s trash and pin (several fields), keeping the archive', async () => {
      const note = { ...previousNote({ trashed: LATER_STAMP, pinned: LATER_STAMP }), trashed: true, pinned: true };
      await writeAsPreviousVersion(note, ['trashed', 'pinned'], false);
      expect((await getDoc(aliceNote())).data()).toMatchObject({ archived: true, trashed: true, pinned: true, clocks: { archived: STAMP } });
    });
  });
});

describe('text edits that name the text they were made from (edits.text)', () => {
  const notePath = `users/${ALICE}/notes/note-1`;
  const aliceNote = () => doc(alice(), notePath);
  const STAMP = '0000018f2a1b3c4d:0000:device-desktop';
  const LATER_STAMP = '0000018f2a1b3c4e:0000:device-phone';
  const OLDER_STAMP = '0000018f2a1b3c4c:0009:device-tablet';
  const EVEN_LATER_STAMP = '0000018f2a1b3c4f:0000:device-tablet';

  const textWrite = (text: string, stamp: string, textEdit?: unknown): DocumentData => ({
    text,
    clocks: { text: stamp },
    ...(textEdit === undefined ? {} : { edits: { text: textEdit } }),
    updatedAt: serverTimestamp(),
    updatedBy: 'device-phone',
  });

  /** A note as this app version stores it, with its unsent text edit and the base it was made from. */
  const editedNote = (text: string, stamp: string, baseStamp: string): NoteRecord => ({
    ...storedNote(text, { text: stamp }),
    archived: false,
    bases: { text: { value: 'Pick up milk', stamp: baseStamp } },
  });

  /** Sends the app's own write (buildWrite, FirestoreRemote.write) of a text edit. */
  async function sendTextEdit(note: NoteRecord): Promise<void> {
    const remote = new FirestoreRemote(alice(), firestoreSdk, ALICE, 'device-phone', () => ALICE);
    const change = buildWrite(note, [{ created: false, fields: ['text'] }] as never);
    expect(change.edits).toEqual({ text: { from: note.bases!.text!.stamp, stamp: note.clocks.text } });
    await remote.write([change]);
  }

  beforeEach(async () => {
    await seed(notePath, storedNoteData({ clocks: { text: STAMP } }));
  });

  it('accepts the app’s text edit made from the text the server holds, and stores what it was made from', async () => {
    await sendTextEdit(editedNote('Pick up oat milk', LATER_STAMP, STAMP));
    expect((await getDoc(aliceNote())).data()).toMatchObject({ text: 'Pick up oat milk', edits: { text: { from: STAMP, stamp: LATER_STAMP } } });
  });

  it('refuses the app’s text edit made from a text the server no longer holds (another device’s edit landed first)', async () => {
    await expect(sendTextEdit(editedNote('Pick up soy milk', LATER_STAMP, OLDER_STAMP))).rejects.toMatchObject({ code: 'permission-denied' });
    expect((await getDoc(aliceNote())).data()?.text).toBe('Pick up milk');
  });

  it('accepts the same edit sent again after it landed (its acknowledgement was lost)', async () => {
    await assertSucceeds(setDoc(aliceNote(), textWrite('Pick up oat milk', LATER_STAMP, { from: STAMP, stamp: LATER_STAMP }), { merge: true }));
    await assertSucceeds(setDoc(aliceNote(), textWrite('Pick up oat milk', LATER_STAMP, { from: STAMP, stamp: LATER_STAMP }), { merge: true }));
  });

  it('accepts a text write without one (app versions before the merge), over a stored one, leaving it', async () => {
    await assertSucceeds(setDoc(aliceNote(), textWrite('Pick up oat milk', LATER_STAMP, { from: STAMP, stamp: LATER_STAMP }), { merge: true }));
    // The previous version's own write: buildWrite of a note with no base sends no textEdit.
    const remote = new FirestoreRemote(alice(), firestoreSdk, ALICE, 'device-old-phone', () => ALICE);
    const previous = editedNote('Written by the previous version', EVEN_LATER_STAMP, STAMP);
    delete previous.bases;
    const change = buildWrite(previous, [{ created: false, fields: ['text'] }] as never);
    expect(change).not.toHaveProperty('edits');
    await remote.write([change]);
    expect((await getDoc(aliceNote())).data()).toMatchObject({
      text: 'Written by the previous version',
      clocks: { text: EVEN_LATER_STAMP },
      edits: { text: { from: STAMP, stamp: LATER_STAMP } },
    });
    // The next edit that names its base is made from the previous version's text.
    const later = '0000018f2a1b3c50:0000:device-phone';
    await assertFails(setDoc(aliceNote(), textWrite('from the old base', later, { from: LATER_STAMP, stamp: later }), { merge: true }));
    await assertSucceeds(setDoc(aliceNote(), textWrite('from the current text', later, { from: EVEN_LATER_STAMP, stamp: later }), { merge: true }));
  });

  it('accepts writes of other fields whatever the stored one says', async () => {
    await assertSucceeds(setDoc(aliceNote(), textWrite('Pick up oat milk', LATER_STAMP, { from: STAMP, stamp: LATER_STAMP }), { merge: true }));
    await assertSucceeds(
      setDoc(aliceNote(), { color: 'pink', clocks: { color: EVEN_LATER_STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-tablet' }, { merge: true }),
    );
  });

  it.each([
    ['a string', 'from-somewhere'],
    ['a map without from', { stamp: LATER_STAMP }],
    ['a map without its stamp', { from: STAMP }],
    ['a map with another key', { from: STAMP, stamp: LATER_STAMP, by: 'phone' }],
    ['a map with a number', { from: 7, stamp: LATER_STAMP }],
    ['a map with a 65-character stamp', { from: STAMP, stamp: 'x'.repeat(65) }],
  ])('refuses one that is %s', async (_name, textEdit) => {
    await assertFails(setDoc(aliceNote(), textWrite('Pick up oat milk', LATER_STAMP, textEdit), { merge: true }));
  });
});

describe('checklists (the optional items list)', () => {
  const notePath = `users/${ALICE}/notes/note-1`;
  const aliceNote = () => doc(alice(), notePath);
  const STAMP = '0000018f2a1b3c4d:0000:device-desktop';
  const LATER_STAMP = '0000018f2a1b3c4e:0000:device-phone';
  const OLDER_STAMP = '0000018f2a1b3c4c:0009:device-tablet';
  const items = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `item-${i}`, text: `thing ${i}`, done: i % 2 === 0 }));
  const itemsWrite = (list: unknown, stamp: string, from?: string): DocumentData => ({
    items: list,
    clocks: { items: stamp },
    ...(from === undefined ? {} : { edits: { items: { from, stamp } } }),
    updatedAt: serverTimestamp(),
    updatedBy: 'device-phone',
  });

  it.each([0, 1, 500])('accepts a create with %i items and their clock', async (count) => {
    await assertSucceeds(setDoc(aliceNote(), noteData({ items: items(count), clocks: { text: STAMP, items: STAMP } })));
  });

  it('refuses 501 items', async () => {
    await assertFails(setDoc(aliceNote(), noteData({ items: items(501), clocks: { text: STAMP, items: STAMP } })));
  });

  it.each([
    ['a map', { a: 1 }],
    ['a string', 'milk, eggs'],
    ['null', null],
  ])('refuses items that are %s', async (_name, value) => {
    await assertFails(setDoc(aliceNote(), noteData({ items: value, clocks: { text: STAMP, items: STAMP } })));
  });

  it('refuses an items clock without the list', async () => {
    await assertFails(setDoc(aliceNote(), noteData({ clocks: { text: STAMP, items: STAMP } })));
  });

  describe('on a note with a checklist', () => {
    beforeEach(async () => {
      await seed(notePath, storedNoteData({ items: items(2), clocks: { text: STAMP, items: STAMP } }));
    });

    it('accepts an edit of the list made from the list the server holds', async () => {
      await assertSucceeds(setDoc(aliceNote(), itemsWrite(items(3), LATER_STAMP, STAMP), { merge: true }));
    });

    it('refuses an edit of the list made from a list the server no longer holds', async () => {
      await assertFails(setDoc(aliceNote(), itemsWrite(items(3), LATER_STAMP, OLDER_STAMP), { merge: true }));
    });

    it('refuses an edit of the list with an older stamp than the server holds', async () => {
      await assertFails(setDoc(aliceNote(), itemsWrite(items(3), OLDER_STAMP), { merge: true }));
    });

    it('accepts a text edit of an app version before checklists, and the list survives it', async () => {
      await assertSucceeds(setDoc(aliceNote(), { text: 'Groceries', clocks: { text: LATER_STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-old-phone' }, { merge: true }));
      expect((await getDoc(aliceNote())).data()).toMatchObject({ text: 'Groceries', items: items(2), clocks: { items: STAMP, text: LATER_STAMP } });
    });
  });
});

describe('users/{uid}/notes/{noteId}', () => {
  const notePath = (uid: string, noteId = 'note-1') => `users/${uid}/notes/${noteId}`;
  const aliceNote = () => doc(alice(), notePath(ALICE));

  describe('the owner', () => {
    beforeEach(async () => {
      await seed(notePath(ALICE), storedNoteData());
    });

    it('may get a note', async () => {
      await assertSucceeds(getDoc(aliceNote()));
    });

    it('may list notes', async () => {
      await assertSucceeds(getDocs(collection(alice(), `users/${ALICE}/notes`)));
    });

    it('may run the pull query (updatedAt > checkpoint, ordered by updatedAt and id)', async () => {
      const pull = query(
        collection(alice(), `users/${ALICE}/notes`),
        where('updatedAt', '>', Timestamp.fromMillis(0)),
        orderBy('updatedAt'),
        orderBy(documentId()),
      );
      const snapshot = await assertSucceeds(getDocs(pull));
      expect(snapshot.size).toBe(1);
    });

    it('may create a note', async () => {
      await assertSucceeds(setDoc(doc(alice(), notePath(ALICE, 'note-2')), noteData()));
    });

    it.each(NOTE_COLORS)('may create a %s note', async (color) => {
      await assertSucceeds(setDoc(doc(alice(), notePath(ALICE, `note-${color}`)), noteData({ color })));
    });

    it('may create a note with a clock for every editable field', async () => {
      const clocks = Object.fromEntries(EDITABLE_FIELDS.map((field) => [field, `0000018f2a1b3c4d:0001:${field}`]));
      // A stamped order needs its key, a stamped archive its flag, stamped items and labels their lists, a stamped reminder its value (see above).
      await assertSucceeds(setDoc(doc(alice(), notePath(ALICE, 'note-2')), noteData({ order: 'a0', archived: false, items: [], labels: [], reminder: null, clocks })));
    });

    it('may create a note with no clocks yet', async () => {
      await assertSucceeds(setDoc(doc(alice(), notePath(ALICE, 'note-2')), noteData({ clocks: {} })));
    });

    it(`may create a note of exactly ${MAX_NOTE_TEXT_LENGTH} characters`, async () => {
      const text = 'x'.repeat(MAX_NOTE_TEXT_LENGTH);
      await assertSucceeds(setDoc(doc(alice(), notePath(ALICE, 'note-2')), noteData({ text })));
    });

    it(`may create a note of ${MAX_NOTE_TEXT_LENGTH} UTF-16 code units ending in an emoji`, async () => {
      const text = `${'x'.repeat(MAX_NOTE_TEXT_LENGTH - 2)}😀`;
      await assertSucceeds(setDoc(doc(alice(), notePath(ALICE, 'note-2')), noteData({ text })));
    });

    it('may create a note whose id is 64 characters', async () => {
      await assertSucceeds(setDoc(doc(alice(), notePath(ALICE, 'n'.repeat(64))), noteData()));
    });

    it('may resend a create (idempotent: same createdAt)', async () => {
      await assertSucceeds(setDoc(aliceNote(), noteData()));
    });

    it('may update a note as a whole document', async () => {
      await assertSucceeds(setDoc(aliceNote(), noteData({ text: 'Pick up oat milk', done: true })));
    });

    it('may update some fields', async () => {
      await assertSucceeds(
        updateDoc(aliceNote(), { pinned: true, updatedAt: serverTimestamp(), updatedBy: 'device-phone' }),
      );
    });

    it('may send a field with a later merge stamp', async () => {
      const change = { text: 'later', clocks: { text: '0000018f2a1b3c4e:0000:device-phone' }, updatedAt: serverTimestamp() };
      await assertSucceeds(setDoc(aliceNote(), change, { merge: true }));
    });

    it('may resend a field with the same merge stamp', async () => {
      const change = { text: 'again', clocks: { text: '0000018f2a1b3c4d:0000:device-desktop' }, updatedAt: serverTimestamp() };
      await assertSucceeds(setDoc(aliceNote(), change, { merge: true }));
    });

    it('may move a note to the trash', async () => {
      await assertSucceeds(updateDoc(aliceNote(), { trashed: true, updatedAt: serverTimestamp() }));
    });

    it('may turn a note into a tombstone (deleted, text emptied)', async () => {
      await assertSucceeds(updateDoc(aliceNote(), { deleted: true, text: '', updatedAt: serverTimestamp() }));
    });

    it('may delete a note', async () => {
      await assertSucceeds(deleteDoc(aliceNote()));
    });
  });

  describe('anyone else', () => {
    beforeEach(async () => {
      await seed(notePath(ALICE), storedNoteData());
    });

    it('may not get another user’s note', async () => {
      await assertFails(getDoc(doc(bob(), notePath(ALICE))));
    });

    it('may not list another user’s notes', async () => {
      await assertFails(getDocs(collection(bob(), `users/${ALICE}/notes`)));
    });

    it('may not create a note for another user', async () => {
      await assertFails(setDoc(doc(bob(), notePath(ALICE, 'note-2')), noteData()));
    });

    it('may not update another user’s note', async () => {
      await assertFails(updateDoc(doc(bob(), notePath(ALICE)), { text: 'mine now', updatedAt: serverTimestamp() }));
    });

    it('may not delete another user’s note', async () => {
      await assertFails(deleteDoc(doc(bob(), notePath(ALICE))));
    });

    it('may not query notes across users (collection group)', async () => {
      await assertFails(getDocs(collectionGroup(alice(), 'notes')));
    });

    it('may not get a note signed out', async () => {
      await assertFails(getDoc(doc(nobody(), notePath(ALICE))));
    });

    it('may not list notes signed out', async () => {
      await assertFails(getDocs(collection(nobody(), `users/${ALICE}/notes`)));
    });

    it('may not create a note signed out', async () => {
      await assertFails(setDoc(doc(nobody(), notePath(ALICE, 'note-2')), noteData()));
    });

    it('may not update a note signed out', async () => {
      await assertFails(updateDoc(doc(nobody(), notePath(ALICE)), { done: true, updatedAt: serverTimestamp() }));
    });

    it('may not delete a note signed out', async () => {
      await assertFails(deleteDoc(doc(nobody(), notePath(ALICE))));
    });
  });

  describe('an invalid note is denied', () => {
    const create = (data: DocumentData, noteId = 'note-new') => setDoc(doc(alice(), notePath(ALICE, noteId)), data);

    const wrongTypes: [string, unknown][] = [
      ['text', 42],
      ['color', 3],
      ['pinned', 'yes'],
      ['done', 1],
      ['trashed', null],
      ['deleted', 'false'],
      ['createdAt', '2025-06-01T12:00:00Z'],
      ['updatedAt', Date.now()],
      ['updatedBy', 7],
      ['clocks', ['text']],
    ];
    it.each(wrongTypes)('%s of the wrong type (%j)', async (field, value) => {
      await assertFails(create(noteData({ [field]: value })));
    });

    it.each(['text', 'color', 'pinned', 'done', 'trashed', 'deleted', 'createdAt', 'updatedAt', 'updatedBy', 'clocks'])(
      'missing %s',
      async (field) => {
        await assertFails(create(without(noteData(), field)));
      },
    );

    it(`text of ${MAX_NOTE_TEXT_LENGTH + 1} characters`, async () => {
      await assertFails(create(noteData({ text: 'x'.repeat(MAX_NOTE_TEXT_LENGTH + 1) })));
    });

    it(`text of ${MAX_NOTE_TEXT_LENGTH + 1} UTF-16 code units (the limit counts code units, like String.length)`, async () => {
      // 19,999 letters and one emoji: 20,001 code units but 20,000 code points.
      const text = `${'x'.repeat(MAX_NOTE_TEXT_LENGTH - 1)}😀`;
      expect(text.length).toBe(MAX_NOTE_TEXT_LENGTH + 1);
      await assertFails(create(noteData({ text })));
    });

    it('an extra key', async () => {
      await assertFails(create(noteData({ title: 'Groceries' })));
    });

    it('a color outside the palette', async () => {
      await assertFails(create(noteData({ color: 'red' })));
    });

    it('a palette color in the wrong case', async () => {
      await assertFails(create(noteData({ color: 'Yellow' })));
    });

    it('a client-chosen updatedAt on create', async () => {
      await assertFails(create(noteData({ updatedAt: FIXED_TIME })));
    });

    it('a tombstone that keeps its text', async () => {
      await assertFails(create(noteData({ deleted: true })));
    });

    it('an updatedBy of 65 characters', async () => {
      await assertFails(create(noteData({ updatedBy: 'd'.repeat(65) })));
    });

    it('an empty updatedBy', async () => {
      await assertFails(create(noteData({ updatedBy: '' })));
    });

    it('a clock for an unknown field', async () => {
      await assertFails(create(noteData({ clocks: { title: '0000018f2a1b3c4d:0000:device-desktop' } })));
    });

    it('a clock of 65 characters', async () => {
      await assertFails(create(noteData({ clocks: { color: 'c'.repeat(65) } })));
    });

    it('a clock that is not a string', async () => {
      await assertFails(create(noteData({ clocks: { done: 12 } })));
    });

    it('a note id of 65 characters', async () => {
      await assertFails(create(noteData(), 'n'.repeat(65)));
    });

    describe('on update', () => {
      beforeEach(async () => {
        await seed(notePath(ALICE), storedNoteData());
      });

      it('an update carrying an older merge stamp than the server holds', async () => {
        const change = { text: 'stale', clocks: { text: '0000018f2a1b3c4c:0009:device-phone' }, updatedAt: serverTimestamp() };
        await assertFails(setDoc(aliceNote(), change, { merge: true }));
      });

      it('an update that drops a merge stamp the server holds', async () => {
        await assertFails(setDoc(aliceNote(), noteData({ clocks: {} })));
      });

      it('a client-chosen updatedAt', async () => {
        await assertFails(updateDoc(doc(alice(), notePath(ALICE)), { text: 'edited', updatedAt: FIXED_TIME }));
      });

      it('an update that leaves updatedAt as it was', async () => {
        await assertFails(updateDoc(doc(alice(), notePath(ALICE)), { text: 'edited' }));
      });

      it('a changed createdAt', async () => {
        await assertFails(setDoc(doc(alice(), notePath(ALICE)), noteData({ createdAt: Timestamp.now() })));
      });

      it('a tombstone that keeps its text', async () => {
        await assertFails(updateDoc(doc(alice(), notePath(ALICE)), { deleted: true, updatedAt: serverTimestamp() }));
      });

      it('removing a field', async () => {
        await assertFails(updateDoc(doc(alice(), notePath(ALICE)), { pinned: deleteField(), updatedAt: serverTimestamp() }));
      });

      it('a color outside the palette', async () => {
        await assertFails(updateDoc(doc(alice(), notePath(ALICE)), { color: 'orange', updatedAt: serverTimestamp() }));
      });
    });
  });
});

describe('channels/{channelId}', () => {
  const ALICE_TOKEN = 'fcm-token-of-alices-phone:APA91bH-example';
  const OTHER_TOKEN = 'fcm-token-of-another-device:APA91bH-example';
  const aliceChannelId = channelIdOf(ALICE_TOKEN);
  const channelPath = (id: string) => `channels/${id}`;
  const channelsOf = (firestore: ReturnType<typeof alice>, uid: string) =>
    query(collection(firestore, 'channels'), where('uid', '==', uid));

  describe('claiming a channel (create)', () => {
    const claim = (data: DocumentData, id = channelIdOf(OTHER_TOKEN)) => setDoc(doc(alice(), channelPath(id)), data);

    it('is allowed for yourself, under the hash of the token', async () => {
      await assertSucceeds(claim(channelData(ALICE, OTHER_TOKEN)));
    });

    it('is allowed with an empty platform', async () => {
      await assertSucceeds(claim(channelData(ALICE, OTHER_TOKEN, { platform: '' })));
    });

    it('is denied for another user', async () => {
      await assertFails(claim(channelData(BOB, OTHER_TOKEN)));
    });

    it('is denied signed out', async () => {
      await assertFails(setDoc(doc(nobody(), channelPath(channelIdOf(OTHER_TOKEN))), channelData(ALICE, OTHER_TOKEN)));
    });

    it('is denied under an id that is not the hash of the token', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN), channelIdOf('some other token')));
    });

    it('is denied under the hash in upper-case hex', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN), channelIdOf(OTHER_TOKEN).toUpperCase()));
    });

    it('is denied with an extra key', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { email: 'alice@example.com' })));
    });

    it('is denied with a missing key', async () => {
      await assertFails(claim(without(channelData(ALICE, OTHER_TOKEN), 'deviceId')));
    });

    it('is denied with a client-chosen lastSeen', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { lastSeen: FIXED_TIME })));
    });

    it('is denied with a client-chosen createdAt', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { createdAt: FIXED_TIME })));
    });

    it('is denied with an empty device name', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { deviceName: '' })));
    });

    it('is denied with a device name of 101 characters', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { deviceName: 'n'.repeat(101) })));
    });

    it('is denied with a device id of 65 characters', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { deviceId: 'd'.repeat(65) })));
    });

    it('is denied with a platform of 65 characters', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { platform: 'p'.repeat(65) })));
    });

    it('is denied with a token of 4097 characters', async () => {
      const token = 't'.repeat(4097);
      await assertFails(claim(channelData(ALICE, token), channelIdOf(token)));
    });

    it('is denied with a token that is not a string', async () => {
      await assertFails(claim(channelData(ALICE, OTHER_TOKEN, { token: 12345 })));
    });
  });

  describe('an existing channel', () => {
    const aliceChannel = (firestore = alice()) => doc(firestore, channelPath(aliceChannelId));

    beforeEach(async () => {
      await seed(channelPath(aliceChannelId), storedChannelData(ALICE, ALICE_TOKEN));
    });

    it('may be read by its owner', async () => {
      await assertSucceeds(getDoc(aliceChannel()));
    });

    it('may be listed by its owner with where uid == me', async () => {
      const snapshot = await assertSucceeds(getDocs(channelsOf(alice(), ALICE)));
      expect(snapshot.size).toBe(1);
    });

    it('may be renamed by its owner (lastSeen refreshed)', async () => {
      await assertSucceeds(updateDoc(aliceChannel(), { deviceName: 'Alice’s phone', lastSeen: serverTimestamp() }));
    });

    it('may be refreshed by its owner with the whole document (createdAt kept)', async () => {
      await assertSucceeds(setDoc(aliceChannel(), channelData(ALICE, ALICE_TOKEN, { createdAt: CREATED_AT })));
    });

    it('may be deleted by its owner', async () => {
      await assertSucceeds(deleteDoc(aliceChannel()));
    });

    it('may be taken over by another user on the device that holds the token', async () => {
      await assertSucceeds(setDoc(aliceChannel(bob()), channelData(BOB, ALICE_TOKEN, { deviceName: 'Shared tablet' })));
    });

    it('may be taken over with a partial update that sets uid (the known limitation)', async () => {
      await assertSucceeds(updateDoc(aliceChannel(bob()), { uid: BOB, lastSeen: serverTimestamp() }));
    });

    it('may not be taken over with a different token', async () => {
      await assertFails(setDoc(aliceChannel(bob()), channelData(BOB, OTHER_TOKEN)));
    });

    it('may not have its token changed by its owner', async () => {
      await assertFails(updateDoc(aliceChannel(), { token: OTHER_TOKEN, lastSeen: serverTimestamp() }));
    });

    it('may not be taken over keeping the old owner’s uid (rename by another user)', async () => {
      await assertFails(updateDoc(aliceChannel(bob()), { deviceName: 'pwned', lastSeen: serverTimestamp() }));
    });

    it('may not be given away by its owner', async () => {
      await assertFails(updateDoc(aliceChannel(), { uid: BOB, lastSeen: serverTimestamp() }));
    });

    it('may not be updated with a client-chosen lastSeen', async () => {
      await assertFails(updateDoc(aliceChannel(), { deviceName: 'Phone', lastSeen: FIXED_TIME }));
    });

    it('may not have its createdAt moved to a client-chosen time', async () => {
      await assertFails(updateDoc(aliceChannel(), { createdAt: FIXED_TIME, lastSeen: serverTimestamp() }));
    });

    it('may not be read by another user', async () => {
      await assertFails(getDoc(aliceChannel(bob())));
    });

    it('may not be read signed out', async () => {
      await assertFails(getDoc(aliceChannel(nobody())));
    });

    it('may not be listed by another user, even naming the owner', async () => {
      await assertFails(getDocs(channelsOf(bob(), ALICE)));
    });

    it('may not be listed without the uid filter, even by its owner', async () => {
      await assertFails(getDocs(collection(alice(), 'channels')));
    });

    it('may not be deleted by another user', async () => {
      await assertFails(deleteDoc(aliceChannel(bob())));
    });

    it('may not be deleted signed out', async () => {
      await assertFails(deleteDoc(aliceChannel(nobody())));
    });
  });
});

describe('everything else', () => {
  it('denies reading the user document', async () => {
    await seed(`users/${ALICE}`, { name: 'Alice' });
    await assertFails(getDoc(doc(alice(), `users/${ALICE}`)));
  });

  it('denies writing the user document', async () => {
    await assertFails(setDoc(doc(alice(), `users/${ALICE}`), { name: 'Alice' }));
  });

  it('denies other collections under the user', async () => {
    await assertFails(setDoc(doc(alice(), `users/${ALICE}/settings/theme`), { dark: true }));
  });

  it('denies subcollections of a note', async () => {
    await assertFails(setDoc(doc(alice(), `users/${ALICE}/notes/note-1/history/1`), { text: 'x' }));
  });

  it('denies top-level collections that are not channels', async () => {
    await assertFails(getDoc(doc(alice(), 'admin/config')));
  });

  it('denies clients the push receipts the function keeps (read and write)', async () => {
    await seed('pushReceipts/event-1', { uid: ALICE, noteId: 'note-1' });
    await assertFails(getDoc(doc(alice(), 'pushReceipts/event-1')));
    await assertFails(getDocs(collection(alice(), 'pushReceipts')));
    await assertFails(setDoc(doc(alice(), 'pushReceipts/event-2'), { uid: ALICE, noteId: 'note-2' }));
    await assertFails(deleteDoc(doc(alice(), 'pushReceipts/event-1')));
  });

  it('denies clients the functions emulator push log (read and write)', async () => {
    await seed('emulatorPushLog/entry-1', { uid: ALICE, token: 't' });
    await assertFails(getDoc(doc(alice(), 'emulatorPushLog/entry-1')));
    await assertFails(getDocs(query(collection(alice(), 'emulatorPushLog'), where('uid', '==', ALICE))));
    await assertFails(setDoc(doc(alice(), 'emulatorPushLog/entry-2'), { uid: ALICE }));
  });

  it('denies subcollections of a channel', async () => {
    await assertFails(setDoc(doc(alice(), `channels/${channelIdOf('t')}/log/1`), { at: serverTimestamp() }));
  });
});
