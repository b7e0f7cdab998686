/**
 * The security rules of a note's reminder, against the real Firestore emulator: every key at its
 * edge, accepted and refused; null (cleared) accepted; a stamped reminder must be there; its stamp
 * never goes backwards; only the owner sets it; and the app's own write of a changed reminder
 * (FirestoreRemote, a merge write) replaces it whole, keeping no key of the old one.
 */
import { assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import * as firestoreSdk from 'firebase/firestore';
import { doc, getDoc, serverTimestamp, setDoc, type DocumentData } from 'firebase/firestore';
import { describe, expect, it } from 'vitest';
import type { NoteRecord } from '../../src/db/database';
import { FirestoreRemote } from '../../src/sync/firestore-remote';
import { buildWrite } from '../../src/sync/outgoing';
import type { Reminder } from '../../src/shared/reminder';
import { ALICE, noteData, useRulesEnvironment } from './rules-helpers';

const { alice, bob } = useRulesEnvironment();
const STAMP = '0000018f2a1b3c4d:0000:device-desktop';
const LATER_STAMP = '0000018f2a1b3c4e:0000:device-phone';
const notePath = `users/${ALICE}/notes/note-1`;
const REMINDER = { at: '2027-03-28T08:00', zone: 'Europe/Berlin' };

const withReminder = (reminder: unknown, stamp = STAMP): DocumentData => noteData({ reminder, clocks: { text: STAMP, reminder: stamp } });

describe('a note\'s reminder', () => {
  it.each([
    ['a one-off', REMINDER],
    ['cleared (null)', null],
    ['daily', { ...REMINDER, repeat: 'day' }],
    ['weekly', { ...REMINDER, repeat: 'week' }],
    ['monthly', { ...REMINDER, repeat: 'month' }],
    ['monthly on the 31st', { ...REMINDER, repeat: 'month:31' }],
    ['on one weekday', { ...REMINDER, repeat: 'weekdays:0' }],
    ['on all seven weekdays', { ...REMINDER, repeat: 'weekdays:0,1,2,3,4,5,6' }],
    ['snoozed and settled', { ...REMINDER, snoozedUntil: 1_806_217_200_000, settled: 1_806_213_600_000 }],
    ['a zone with three parts', { ...REMINDER, zone: 'America/Argentina/Buenos_Aires' }],
    ['a zone of 64 characters', { ...REMINDER, zone: 'Z'.repeat(64) }],
    ['a fixed-offset zone', { ...REMINDER, zone: 'Etc/GMT+5' }],
  ])('accepts %s', async (_name, reminder) => {
    await assertSucceeds(setDoc(doc(alice(), notePath), withReminder(reminder)));
  });

  it.each([
    ['no time', { zone: 'Europe/Berlin' }],
    ['no zone', { at: '2027-03-28T08:00' }],
    ['a time with seconds', { ...REMINDER, at: '2027-03-28T08:00:00' }],
    ['a time with a space', { ...REMINDER, at: '2027-03-28 08:00' }],
    ['a time that is a number', { ...REMINDER, at: 1_806_213_600_000 }],
    ['an empty zone', { ...REMINDER, zone: '' }],
    ['a zone of 65 characters', { ...REMINDER, zone: 'Z'.repeat(65) }],
    ['a zone with a space', { ...REMINDER, zone: 'Europe/Ber lin' }],
    ['an unknown repeat', { ...REMINDER, repeat: 'year' }],
    ['a weekday 7', { ...REMINDER, repeat: 'weekdays:7' }],
    ['eight weekdays', { ...REMINDER, repeat: 'weekdays:0,1,2,3,4,5,6,0' }],
    ['a repeat that is a map', { ...REMINDER, repeat: { every: 'day' } }],
    ['a snooze that is a string', { ...REMINDER, snoozedUntil: 'later' }],
    ['a settled instant that is a fraction', { ...REMINDER, settled: 1.5 }],
    ['an unknown key', { ...REMINDER, sound: 'bell' }],
    ['a reminder that is a string', '2027-03-28T08:00'],
  ])('refuses %s', async (_name, reminder) => {
    await assertFails(setDoc(doc(alice(), notePath), withReminder(reminder)));
  });

  it('refuses a stamped reminder that is not there', async () => {
    await assertFails(setDoc(doc(alice(), notePath), noteData({ clocks: { text: STAMP, reminder: STAMP } })));
  });

  it('refuses a reminder of another person\'s note', async () => {
    await assertFails(setDoc(doc(bob(), notePath), withReminder(REMINDER)));
  });

  it('refuses a change carrying an older reminder stamp than the server holds', async () => {
    await assertSucceeds(setDoc(doc(alice(), notePath), withReminder(REMINDER, LATER_STAMP)));
    await assertFails(setDoc(doc(alice(), notePath), { reminder: null, clocks: { reminder: STAMP }, updatedAt: serverTimestamp(), updatedBy: 'device-phone' }, { merge: true }));
  });

  it('the app\'s write of a changed reminder replaces it whole: no snooze or repeat of the old one is left', async () => {
    const snoozed = { ...REMINDER, repeat: 'day', snoozedUntil: 1_806_217_200_000 };
    await assertSucceeds(setDoc(doc(alice(), notePath), withReminder(snoozed)));
    const remote = new FirestoreRemote(alice(), firestoreSdk, ALICE, 'device-phone', () => ALICE);
    const changed: Reminder = { at: '2027-04-01T09:30', zone: 'Asia/Kolkata' };
    const note = { id: 'note-1', text: 'Call the bank', color: 'yellow', pinned: false, done: false, trashed: false, deleted: false, order: 'a0', createdAt: 0, updatedAt: 0, lane: 1, open: 1, reminder: changed, clocks: { reminder: LATER_STAMP } } as NoteRecord;
    await remote.write([buildWrite(note, [{ seq: 1, noteId: 'note-1', fields: ['reminder'], created: false, queuedAt: 0 }])]);
    expect((await getDoc(doc(alice(), notePath))).data()!.reminder).toEqual(changed);
  });
});
