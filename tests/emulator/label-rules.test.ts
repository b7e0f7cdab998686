/**
 * The security rules of labels, against the real Firestore emulator: the person's label documents
 * (users/{uid}/labels/{labelId}) and a note's labels (label ids), each limit accepted at its edge
 * and refused past it, the owner only, and the app's own label transport (FirestoreLabels: a
 * transaction that merges field by field) through the rules.
 */
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import * as firestoreSdk from 'firebase/firestore';
import { collection, deleteField, doc, getDoc, getDocs, serverTimestamp, setDoc, type DocumentData } from 'firebase/firestore';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NoteRecord } from '../../src/db/database';
import { FirestoreLabels } from '../../src/sync/firestore-labels';
import { FirestoreRemote } from '../../src/sync/firestore-remote';
import { buildWrite } from '../../src/sync/outgoing';
import { EDITABLE_FIELDS, MAX_NOTE_LABELS, MERGED_FIELDS, type EditableField } from '../../src/shared/note';
import { LABEL_COLORS, MAX_LABEL_NAME_LENGTH, type Label } from '../../src/shared/label';
import { ALICE, CREATED_AT, FIXED_TIME, noteData, storedNoteData, useRulesEnvironment, without } from './rules-helpers';

const { alice, bob, nobody, seed } = useRulesEnvironment();

const STAMP = '0000018f2a1b3c4d:0000:device-desktop';
const LATER_STAMP = '0000018f2a1b3c4e:0000:device-phone';
const OLDER_STAMP = '0000018f2a1b3c4c:0009:device-tablet';

describe('a note\'s labels (the optional labels list)', () => {
  const notePath = `users/${ALICE}/notes/note-1`;
  const aliceNote = () => doc(alice(), notePath);
  const ids = (count: number) => Array.from({ length: count }, (_, i) => `label-${i}`);
  const labelsWrite = (list: unknown, stamp: string, from?: string): DocumentData => ({
    labels: list,
    clocks: { labels: stamp },
    ...(from === undefined ? {} : { edits: { labels: { from, stamp } } }),
    updatedAt: serverTimestamp(),
    updatedBy: 'device-phone',
  });

  it.each([0, 1, MAX_NOTE_LABELS])('accepts a create with %i labels and their clock', async (count) => {
    await assertSucceeds(setDoc(aliceNote(), noteData({ labels: ids(count), clocks: { text: STAMP, labels: STAMP } })));
  });

  it(`refuses ${MAX_NOTE_LABELS + 1} labels`, async () => {
    await assertFails(setDoc(aliceNote(), noteData({ labels: ids(MAX_NOTE_LABELS + 1), clocks: { text: STAMP, labels: STAMP } })));
  });

  it.each([
    ['a map', { work: true }],
    ['a string', 'work'],
  ])('refuses labels that are %s', async (_name, value) => {
    await assertFails(setDoc(aliceNote(), noteData({ labels: value, clocks: { text: STAMP, labels: STAMP } })));
  });

  it('refuses a labels clock without the list', async () => {
    await assertFails(setDoc(aliceNote(), noteData({ clocks: { text: STAMP, labels: STAMP } })));
  });

  describe('on a note with labels', () => {
    beforeEach(async () => {
      await seed(notePath, storedNoteData({ labels: ids(2), clocks: { text: STAMP, labels: STAMP } }));
    });

    it('accepts an edit of the labels made from the labels the server holds', async () => {
      await assertSucceeds(setDoc(aliceNote(), labelsWrite(ids(3), LATER_STAMP, STAMP), { merge: true }));
    });

    it('refuses an edit of the labels made from labels the server no longer holds', async () => {
      await assertFails(setDoc(aliceNote(), labelsWrite(ids(3), LATER_STAMP, OLDER_STAMP), { merge: true }));
    });

    it('refuses an edit of the labels with an older stamp than the server holds', async () => {
      await assertFails(setDoc(aliceNote(), labelsWrite(ids(1), OLDER_STAMP), { merge: true }));
    });

    it('refuses a whole-document write that drops the labels stamp', async () => {
      await assertFails(setDoc(aliceNote(), noteData({ clocks: { text: LATER_STAMP } })));
    });

    /** The fields the app version before labels knew (its EDITABLE_FIELDS). */
    const PREVIOUS_FIELDS: EditableField[] = ['text', 'color', 'pinned', 'done', 'trashed', 'deleted', 'order', 'archived', 'items'];

    /**
     * Sends a write through the app's own transport (FirestoreRemote.write), built by the app's
     * own buildWrite from a note as the previous version stored it: no labels, no clock for them,
     * outbox entries naming only the fields it knew: that version's write, not a re-creation.
     */
    async function writeAsPreviousVersion(clocks: Record<string, string>, fields: EditableField[], created: boolean): Promise<void> {
      const note = { id: 'note-1', text: 'Written by the previous version', color: 'yellow', pinned: false, done: false, trashed: false, deleted: false, order: 'a5', archived: false, items: [], createdAt: noteData().createdAt.toMillis(), updatedAt: 0, lane: 1, open: 1, clocks } as NoteRecord;
      const change = buildWrite(note, [{ created, fields }] as never);
      expect('labels' in change.values).toBe(false);
      await new FirestoreRemote(alice(), firestoreSdk, ALICE, 'device-old-phone', () => ALICE).write([change]);
    }

    it('accepts the previous version’s text edit and create-shaped resend, sent by the app’s own transport, and the labels survive them', async () => {
      await writeAsPreviousVersion({ text: LATER_STAMP }, ['text'], false);
      expect((await getDoc(aliceNote())).data()).toMatchObject({ text: 'Written by the previous version', labels: ids(2), clocks: { labels: STAMP, text: LATER_STAMP } });
      await writeAsPreviousVersion(Object.fromEntries(PREVIOUS_FIELDS.map((field) => [field, LATER_STAMP])), PREVIOUS_FIELDS, true);
      expect((await getDoc(aliceNote())).data()).toMatchObject({ labels: ids(2), clocks: { labels: STAMP, items: LATER_STAMP } });
    });

    it('accepts a text edit of an app version before labels, and the labels survive it', async () => {
      await assertSucceeds(setDoc(aliceNote(), { text: 'Tax return', clocks: { text: LATER_STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-old-phone' }, { merge: true }));
      expect((await getDoc(aliceNote())).data()).toMatchObject({ text: 'Tax return', labels: ids(2), clocks: { labels: STAMP, text: LATER_STAMP } });
    });
  });
});

describe('the largest note write there is, within the rules\' budget of 1,000 expressions a request', () => {
  it('takes an edit of every field, each merged field naming its base, onto a note with every field and stamp', async () => {
    const notePath = `users/${ALICE}/notes/note-1`;
    const every = (stamp: string) => Object.fromEntries(EDITABLE_FIELDS.map((field) => [field, stamp]));
    const reminder = { at: '2027-03-28T08:00', zone: 'America/Argentina/Buenos_Aires', repeat: 'weekdays:0,1,2,3,4,5,6', snoozedUntil: 1_806_217_200_000, settled: 1_806_213_600_000 };
    const full = { order: 'a0', archived: false, items: [{ id: 'i', text: 'milk', done: false }], labels: ['l1'], reminder };
    const edits = (from: string, stamp: string) => Object.fromEntries(MERGED_FIELDS.map((field) => [field, { from, stamp }]));
    await seed(notePath, storedNoteData({ ...full, clocks: every(STAMP), edits: edits(OLDER_STAMP, STAMP) }));
    const write = noteData({ ...full, text: 'Edited everywhere', pinned: true, done: true, labels: ['l1', 'l2'], reminder: { ...reminder, at: '2027-03-29T08:00' }, clocks: every(LATER_STAMP), edits: edits(STAMP, LATER_STAMP) });
    await assertSucceeds(setDoc(doc(alice(), notePath), write, { merge: true }));
    await assertSucceeds(setDoc(doc(alice(), notePath), { ...write, clocks: every(LATER_STAMP.replace('4e:', '4f:')), edits: edits(LATER_STAMP, LATER_STAMP.replace('4e:', '4f:')) }));
  });
});

describe('users/{uid}/labels/{labelId}', () => {
  const labelPath = `users/${ALICE}/labels/label-1`;
  const aliceLabel = () => doc(alice(), labelPath);
  const labelData = (overrides: DocumentData = {}): DocumentData => ({
    name: 'Work',
    color: 'none',
    deleted: false,
    clocks: { name: STAMP, color: STAMP, deleted: STAMP },
    createdAt: CREATED_AT,
    updatedAt: serverTimestamp(),
    updatedBy: 'device-desktop',
    ...overrides,
  });

  describe('create', () => {
    it('accepts a label of the owner', async () => {
      await assertSucceeds(setDoc(aliceLabel(), labelData()));
    });

    it.each(LABEL_COLORS)('accepts the color %s', async (color) => {
      await assertSucceeds(setDoc(aliceLabel(), labelData({ color })));
    });

    it.each([1, MAX_LABEL_NAME_LENGTH])('accepts a name of %i characters', async (length) => {
      await assertSucceeds(setDoc(aliceLabel(), labelData({ name: 'x'.repeat(length) })));
    });

    it.each([
      ['an empty name', { name: '' }],
      [`a name of ${MAX_LABEL_NAME_LENGTH + 1} characters`, { name: 'x'.repeat(MAX_LABEL_NAME_LENGTH + 1) }],
      ['a name that is not a string', { name: 7 }],
      ['an unknown color', { color: 'orange' }],
      ['deleted that is not true or false', { deleted: 'yes' }],
      ['a deleted label that keeps its name', { deleted: true }],
      ['a clock of an unknown field', { clocks: { name: STAMP, size: STAMP } }],
      ['a clock that is not a string', { clocks: { name: 5 } }],
      ['an updatedAt of the client', { updatedAt: FIXED_TIME }],
      ['an empty updatedBy', { updatedBy: '' }],
      ['an unknown field', { emoji: '🏷' }],
    ])('refuses %s', async (_name, overrides) => {
      await assertFails(setDoc(aliceLabel(), labelData(overrides)));
    });

    it.each(['name', 'color', 'deleted', 'clocks', 'createdAt', 'updatedAt', 'updatedBy'])('refuses a label without %s', async (field) => {
      await assertFails(setDoc(aliceLabel(), without(labelData(), field)));
    });

    it('accepts a deleted label with its name emptied', async () => {
      await assertSucceeds(setDoc(aliceLabel(), labelData({ name: '', deleted: true })));
    });

    it('refuses an id longer than 64 characters', async () => {
      await assertFails(setDoc(doc(alice(), `users/${ALICE}/labels/${'x'.repeat(65)}`), labelData()));
    });
  });

  describe('on a stored label', () => {
    beforeEach(async () => {
      await seed(labelPath, labelData({ updatedAt: FIXED_TIME }));
    });

    it('the owner may get and list it; nobody else, signed in or not', async () => {
      await assertSucceeds(getDoc(aliceLabel()));
      await assertSucceeds(getDocs(collection(alice(), `users/${ALICE}/labels`)));
      await assertFails(getDoc(doc(bob(), labelPath)));
      await assertFails(getDocs(collection(bob(), `users/${ALICE}/labels`)));
      await assertFails(getDoc(doc(nobody(), labelPath)));
    });

    it('nobody else may write it', async () => {
      await assertFails(setDoc(doc(bob(), labelPath), labelData({ name: 'Taken' })));
      await assertFails(setDoc(doc(nobody(), labelPath), labelData({ name: 'Taken' })));
    });

    it('accepts a rename with a later stamp', async () => {
      await assertSucceeds(setDoc(aliceLabel(), labelData({ name: 'Office', clocks: { name: LATER_STAMP, color: STAMP, deleted: STAMP } })));
    });

    it('refuses a rename with an older stamp than the server holds', async () => {
      await assertFails(setDoc(aliceLabel(), labelData({ name: 'Office', clocks: { name: OLDER_STAMP, color: STAMP, deleted: STAMP } })));
    });

    it('refuses a write that drops a stamp', async () => {
      await assertFails(setDoc(aliceLabel(), labelData({ clocks: { name: STAMP, color: STAMP } })));
    });

    it('refuses changing when it was created', async () => {
      await assertFails(setDoc(aliceLabel(), labelData({ createdAt: FIXED_TIME })));
    });

    it('accepts a delete, and refuses bringing a deleted label back', async () => {
      await assertSucceeds(setDoc(aliceLabel(), labelData({ name: '', deleted: true, clocks: { name: LATER_STAMP, color: STAMP, deleted: LATER_STAMP } })));
      await assertFails(setDoc(aliceLabel(), labelData({ name: 'Back', deleted: false, clocks: { name: '0000018f2a1b3c4f:0000:device-phone', color: STAMP, deleted: '0000018f2a1b3c4f:0000:device-phone' } })));
      await assertFails(setDoc(aliceLabel(), { deleted: deleteField(), updatedAt: serverTimestamp() }, { merge: true }));
    });
  });
});

describe('the app\'s label transport through the rules', () => {
  const label = (overrides: Partial<Label> = {}): Label => ({
    id: 'label-1',
    name: 'Work',
    color: 'none',
    deleted: false,
    clocks: { name: STAMP, color: STAMP, deleted: STAMP },
    createdAt: CREATED_AT.toMillis(),
    ...overrides,
  });

  it('creates a label, merges two devices\' edits field by field, and a delete wins over a later rename', async () => {
    const [phoneFirestore, desktopFirestore] = [alice(), alice()];
    const phone = new FirestoreLabels(() => phoneFirestore, firestoreSdk, ALICE, 'device-phone');
    const desktop = new FirestoreLabels(() => desktopFirestore, firestoreSdk, ALICE, 'device-desktop');
    expect(await phone.merge(label())).toMatchObject({ name: 'Work' });
    // The desktop renamed it without having heard of the phone's recolor: both land.
    await phone.merge(label({ color: 'blue', clocks: { name: STAMP, color: LATER_STAMP, deleted: STAMP } }));
    const merged = await desktop.merge(label({ name: 'Office', clocks: { name: LATER_STAMP, color: STAMP, deleted: STAMP } }));
    expect(merged).toMatchObject({ name: 'Office', color: 'blue', deleted: false });
    expect((await getDoc(doc(alice(), `users/${ALICE}/labels/label-1`))).data()).toMatchObject({ name: 'Office', color: 'blue', updatedBy: 'device-desktop' });

    await phone.merge(label({ name: '', deleted: true, clocks: { name: LATER_STAMP, color: STAMP, deleted: LATER_STAMP } }));
    const afterDelete = await desktop.merge(label({ name: 'Renamed later', clocks: { name: '0000018f2a1b3c50:0000:device-desktop', color: STAMP, deleted: STAMP } }));
    expect(afterDelete).toMatchObject({ deleted: true, name: '' });
    expect((await getDoc(doc(alice(), `users/${ALICE}/labels/label-1`))).data()).toMatchObject({ deleted: true, name: '' });
  });

  it('hears every label of the person, and another person\'s transport is refused', async () => {
    const firestore = alice();
    const phone = new FirestoreLabels(() => firestore, firestoreSdk, ALICE, 'device-phone');
    await phone.merge(label());
    const heard = await new Promise<Label[]>((resolve, reject) => {
      const stop = phone.listen((labels) => {
        stop();
        resolve(labels);
      }, reject);
    });
    expect(heard.map((l) => l.name)).toEqual(['Work']);
    const bobsFirestore = bob();
    const intruder = new FirestoreLabels(() => bobsFirestore, firestoreSdk, ALICE, 'device-bob');
    await expect(intruder.merge(label({ id: 'label-2' }))).rejects.toMatchObject({ code: 'permission-denied' });
  });
});
