/**
 * The push fan-out against the real Firestore emulator: first the handler called directly with
 * a recording sender (who gets what, batching, dead channels, replays, notes that send nothing),
 * then the real onNoteCreated trigger in the functions emulator, observed through the emulator
 * sender's log (emulatorPushLog), since FCM has no emulator.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { fanOutNotePush } from '../../functions/src/note-push';
import { EMULATOR_PUSH_LOG } from '../../functions/src/senders';
import { sendTestPushTo } from '../../functions/src/test-push';
import { buildFcmMessage } from '../../functions/src/fcm-message';
import { buildNotePush, buildTestPush } from '../../src/shared/push';
import { MAX_ORDER_KEY_LENGTH } from '../../src/shared/note';
import {
  PROJECT_ID,
  assertFunctionsEmulator,
  channelExists,
  channelIdOf,
  noteDoc,
  pushTestFirestore,
  recordingSender,
  seedChannels,
  uniqueUid,
  waitUntil,
  type Firestore,
} from './push-helpers';

let db: Firestore;

beforeAll(async () => {
  db = pushTestFirestore();
  // Fails loudly when the Firestore emulator is down (globalSetup checks too).
  await db.collection('pushReceipts').limit(1).get();
});

const event = (uid: string, data: unknown, options: { noteId?: string; id?: string } = {}) => ({
  id: options.id ?? randomUUID(),
  params: { uid, noteId: options.noteId ?? randomUUID() },
  data,
});

describe('the fan-out handler (recording sender)', () => {
  it("sends A's note to A's other devices only: not B's, not the device that wrote it", async () => {
    const alice = uniqueUid('alice');
    const bob = uniqueUid('bob');
    await seedChannels(db, [
      { uid: alice, token: `${alice}-phone`, deviceId: 'device-phone' },
      { uid: alice, token: `${alice}-tablet`, deviceId: 'device-tablet' },
      { uid: alice, token: `${alice}-desktop`, deviceId: 'device-desktop' },
      { uid: bob, token: `${bob}-phone`, deviceId: 'device-bob' },
    ]);
    const sender = recordingSender();
    const noteId = randomUUID();
    const result = await fanOutNotePush(
      { db, sender, appOrigin: 'https://notes.example.com' },
      event(alice, noteDoc({ text: 'Pick up milk\n  and   bread', color: 'pink', updatedBy: 'device-desktop' }), { noteId }),
    );
    expect(result).toMatchObject({ status: 'sent', channels: 2, sent: 2, failed: 0, removed: 0, batches: 1 });
    expect(sender.calls).toHaveLength(1);
    const tokens = sender.calls[0].map((message) => message.token).sort();
    expect(tokens).toEqual([`${alice}-phone`, `${alice}-tablet`]);
    const data = buildNotePush({ uid: alice, noteId, text: 'Pick up milk\nand bread', color: 'pink', openCount: 0 });
    expect(sender.calls[0][0]).toEqual(buildFcmMessage(sender.calls[0][0].token, data, { appOrigin: 'https://notes.example.com' }));
  });

  it('accepts a note with or without an order key (versions before board order write none); refuses a bad key', async () => {
    const alice = uniqueUid('alice');
    await seedChannels(db, [{ uid: alice, token: `${alice}-phone`, deviceId: 'device-phone' }]);
    const send = (data: unknown) => fanOutNotePush({ db, sender: recordingSender(), appOrigin: 'https://notes.example.com' }, event(alice, data));
    expect(await send(noteDoc({ text: 'Without a key' }))).toMatchObject({ status: 'sent', sent: 1 });
    expect(await send(noteDoc({ text: 'With a key', order: 'a0', clocks: { order: '0000018f2a1b3c4d:0000:device-desktop' } }))).toMatchObject({ status: 'sent', sent: 1 });
    expect(await send(noteDoc({ text: 'Bad key', order: 'x'.repeat(MAX_ORDER_KEY_LENGTH + 1) }))).toEqual({ status: 'invalid', reason: 'bad order' });
    expect(await send(noteDoc({ text: 'Bad key', order: 7 }))).toEqual({ status: 'invalid', reason: 'bad order' });
  });

  it('sends nothing for a note created archived, and refuses an archived flag that is not a bool', async () => {
    const alice = uniqueUid('alice');
    await seedChannels(db, [{ uid: alice, token: `${alice}-phone`, deviceId: 'device-phone' }]);
    const send = (data: unknown) => fanOutNotePush({ db, sender: recordingSender(), appOrigin: 'https://notes.example.com' }, event(alice, data));
    expect(await send(noteDoc({ text: 'Imported, archived', archived: true }))).toEqual({ status: 'skipped', reason: 'archived' });
    expect(await send(noteDoc({ text: 'Not archived', archived: false }))).toMatchObject({ status: 'sent', sent: 1 });
    expect(await send(noteDoc({ text: 'Bad flag', archived: 'yes' }))).toEqual({ status: 'invalid', reason: 'bad archived' });
  });

  it('counts the open notes for the badge (not done, not trashed, not deleted, not archived)', async () => {
    const carol = uniqueUid('carol');
    const notes = db.collection('users').doc(carol).collection('notes');
    // The real trigger fires for these too; it finds no channels yet or sends to the log: no effect here.
    await Promise.all([
      notes.doc('open-1').set(noteDoc()),
      notes.doc('open-2').set(noteDoc({ pinned: true })),
      notes.doc('done').set(noteDoc({ done: true })),
      notes.doc('trashed').set(noteDoc({ trashed: true })),
      notes.doc('deleted').set(noteDoc({ deleted: true, text: '' })),
      notes.doc('archived').set(noteDoc({ archived: true, clocks: { archived: '0000018f2a1b3c4d:0000:device-desktop' } })),
      notes.doc('archived-done').set(noteDoc({ archived: true, done: true })),
      // open-1 and open-2 have no archived field (the app before the archive wrote none); this one says false.
      notes.doc('open-3').set(noteDoc({ archived: false })),
    ]);
    await seedChannels(db, [{ uid: carol, token: `${carol}-phone`, deviceId: 'device-phone' }]);
    const sender = recordingSender();
    const result = await fanOutNotePush({ db, sender }, event(carol, noteDoc(), { noteId: 'open-1' }));
    expect(result).toMatchObject({ status: 'sent', openCount: 3 });
    expect(sender.calls[0][0].data.openCount).toBe('3');
  });

  it('sends to 1,200 devices in batches of at most 500', async () => {
    const dana = uniqueUid('dana');
    const channels = Array.from({ length: 1_200 }, (_, i) => ({ uid: dana, token: `${dana}-device-${i}`, deviceId: `device-${i}` }));
    await seedChannels(db, channels);
    const sender = recordingSender();
    const result = await fanOutNotePush({ db, sender }, event(dana, noteDoc({ updatedBy: 'device-elsewhere' })));
    expect(result).toMatchObject({ status: 'sent', channels: 1_200, sent: 1_200, batches: 3 });
    expect(sender.calls.map((call) => call.length)).toEqual([500, 500, 200]);
    const sentTo = new Set(sender.calls.flat().map((message) => message.token));
    expect(sentTo.size).toBe(1_200);
  }, 60_000);

  it('deletes the channels FCM reports as unregistered or invalid, and keeps the rest', async () => {
    const erin = uniqueUid('erin');
    const tokens = {
      ok: `${erin}-ok`,
      unregistered: `${erin}-unregistered`,
      invalid: `${erin}-invalid`,
      badArgument: `${erin}-bad-argument`,
      messageProblem: `${erin}-message-problem`,
      transient: `${erin}-transient`,
    };
    await seedChannels(db, Object.values(tokens).map((token, i) => ({ uid: erin, token, deviceId: `device-${i}` })));
    const sender = recordingSender((token) => {
      if (token === tokens.unregistered) return { success: false, error: { code: 'messaging/registration-token-not-registered' } };
      if (token === tokens.invalid) return { success: false, error: { code: 'messaging/invalid-registration-token' } };
      if (token === tokens.badArgument) {
        return { success: false, error: { code: 'messaging/invalid-argument', message: 'The registration token is not a valid FCM registration token' } };
      }
      if (token === tokens.messageProblem) return { success: false, error: { code: 'messaging/invalid-argument', message: 'Invalid TTL header' } };
      if (token === tokens.transient) return { success: false, error: { code: 'messaging/internal-error' } };
      return { success: true };
    });
    const result = await fanOutNotePush({ db, sender }, event(erin, noteDoc({ updatedBy: 'device-elsewhere' })));
    expect(result).toMatchObject({ status: 'sent', channels: 6, sent: 1, failed: 5, removed: 3 });
    expect(await channelExists(db, tokens.ok)).toBe(true);
    expect(await channelExists(db, tokens.unregistered)).toBe(false);
    expect(await channelExists(db, tokens.invalid)).toBe(false);
    expect(await channelExists(db, tokens.badArgument)).toBe(false);
    expect(await channelExists(db, tokens.messageProblem)).toBe(true);
    expect(await channelExists(db, tokens.transient)).toBe(true);
  });

  it('sends nothing the second time the same event arrives (at-least-once trigger)', async () => {
    const fay = uniqueUid('fay');
    await seedChannels(db, [{ uid: fay, token: `${fay}-phone`, deviceId: 'device-phone' }]);
    const sender = recordingSender();
    const replayed = event(fay, noteDoc());
    expect(await fanOutNotePush({ db, sender }, replayed)).toMatchObject({ status: 'sent', sent: 1 });
    expect(await fanOutNotePush({ db, sender }, replayed)).toEqual({ status: 'duplicate' });
    expect(sender.calls).toHaveLength(1);
    expect((await db.collection('pushReceipts').doc(replayed.id).get()).get('uid')).toBe(fay);
  });

  it('gives the receipt back when sending fails as a whole, so a retry can send', async () => {
    const gil = uniqueUid('gil');
    await seedChannels(db, [{ uid: gil, token: `${gil}-phone`, deviceId: 'device-phone' }]);
    const failing = { sendEach: () => Promise.reject(new Error('network down')) };
    const retried = event(gil, noteDoc());
    await expect(fanOutNotePush({ db, sender: failing }, retried)).rejects.toThrow('network down');
    const sender = recordingSender();
    expect(await fanOutNotePush({ db, sender }, retried)).toMatchObject({ status: 'sent', sent: 1 });
  });

  it.each([
    ['trashed', { trashed: true }],
    ['deleted', { deleted: true, text: '' }],
    ['empty', { text: '' }],
    ['empty', { text: '  \n\t \n ' }],
  ])('sends nothing for a %s note (%j)', async (reason, overrides) => {
    const hal = uniqueUid('hal');
    await seedChannels(db, [{ uid: hal, token: `${hal}-phone`, deviceId: 'device-phone' }]);
    const sender = recordingSender();
    const skipped = event(hal, noteDoc(overrides));
    expect(await fanOutNotePush({ db, sender }, skipped)).toEqual({ status: 'skipped', reason });
    expect(sender.calls).toHaveLength(0);
    expect((await db.collection('pushReceipts').doc(skipped.id).get()).exists).toBe(false);
  });

  it.each([
    ['no document', undefined, 'no document data'],
    ['a color outside the palette', noteDoc({ color: 'red' }), 'bad color'],
    ['text that is not a string', noteDoc({ text: 42 }), 'bad text'],
    ['no updatedBy', noteDoc({ updatedBy: '' }), 'bad updatedBy'],
  ])('validates input first: %s', async (_name, data, reason) => {
    const sender = recordingSender();
    expect(await fanOutNotePush({ db, sender }, event(uniqueUid('ivy'), data))).toEqual({ status: 'invalid', reason });
    expect(sender.calls).toHaveLength(0);
  });

  it('sends nothing when the person has no other device', async () => {
    const jon = uniqueUid('jon');
    await seedChannels(db, [{ uid: jon, token: `${jon}-desktop`, deviceId: 'device-desktop' }]);
    const sender = recordingSender();
    expect(await fanOutNotePush({ db, sender }, event(jon, noteDoc()))).toMatchObject({ status: 'sent', channels: 0, batches: 0 });
    expect(sender.calls).toHaveLength(0);
  });
});

describe('the test push (sendTestPush callable)', () => {
  it('sends a test push to a channel of the caller', async () => {
    const kim = uniqueUid('kim');
    await seedChannels(db, [{ uid: kim, token: `${kim}-phone`, deviceId: 'device-phone', deviceName: 'Kitchen phone' }]);
    const sender = recordingSender();
    expect(await sendTestPushTo({ db, sender }, kim, channelIdOf(`${kim}-phone`))).toEqual({ ok: true });
    expect(sender.calls).toEqual([[buildFcmMessage(`${kim}-phone`, buildTestPush({ uid: kim, deviceName: 'Kitchen phone' }))]]);
  });

  it("refuses someone else's channel as if it did not exist", async () => {
    const kim = uniqueUid('kim');
    const lee = uniqueUid('lee');
    await seedChannels(db, [{ uid: lee, token: `${lee}-phone`, deviceId: 'device-phone' }]);
    const sender = recordingSender();
    expect(await sendTestPushTo({ db, sender }, kim, channelIdOf(`${lee}-phone`))).toMatchObject({ ok: false, code: 'not-found' });
    expect(await sendTestPushTo({ db, sender }, kim, 'not-a-channel-id')).toMatchObject({ ok: false, code: 'invalid-argument' });
    expect(sender.calls).toHaveLength(0);
  });

  it('removes a channel whose token FCM no longer knows', async () => {
    const mo = uniqueUid('mo');
    await seedChannels(db, [{ uid: mo, token: `${mo}-gone`, deviceId: 'device-phone' }]);
    const sender = recordingSender(() => ({ success: false, error: { code: 'messaging/registration-token-not-registered' } }));
    expect(await sendTestPushTo({ db, sender }, mo, channelIdOf(`${mo}-gone`))).toMatchObject({ ok: false, code: 'failed-precondition' });
    expect(await channelExists(db, `${mo}-gone`)).toBe(false);
  });
});

describe('the real trigger in the functions emulator', () => {
  beforeAll(async () => {
    await assertFunctionsEmulator();
  });

  it("sends a created note to exactly A's other channels and deletes the unregistered one", async () => {
    const alice = uniqueUid('alice');
    const bob = uniqueUid('bob');
    const tokens = {
      phone: `${alice}-phone`,
      tablet: `${alice}-tablet`,
      writer: `${alice}-desktop`,
      dead: `unregistered-${alice}-old-laptop`,
      bob: `${bob}-phone`,
    };
    await seedChannels(db, [
      { uid: alice, token: tokens.phone, deviceId: 'device-phone' },
      { uid: alice, token: tokens.tablet, deviceId: 'device-tablet' },
      { uid: alice, token: tokens.writer, deviceId: 'device-desktop' },
      { uid: alice, token: tokens.dead, deviceId: 'device-old-laptop' },
      { uid: bob, token: tokens.bob, deviceId: 'device-bob' },
    ]);
    const noteId = randomUUID();
    await db.collection('users').doc(alice).collection('notes').doc(noteId).set(noteDoc({ text: 'Call the plumber', color: 'blue' }));

    const log = db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', noteId);
    const entries = await waitUntil(
      async () => {
        const snapshot = await log.get();
        return snapshot.size >= 3 && snapshot.docs;
      },
      20_000,
      'the emulator sender to log three sends',
    );
    // The fan-out deletes dead channels after its last send: once that happened, every send it
    // made (a wrong one to the writer or to Bob included) is in the log.
    await waitUntil(async () => !(await channelExists(db, tokens.dead)), 10_000, 'the unregistered channel to be deleted');
    const all = (await log.get()).docs;
    expect(all.map((doc) => doc.get('token')).sort()).toEqual([tokens.phone, tokens.tablet, tokens.dead].sort());
    expect(all.every((doc) => doc.get('uid') === alice)).toBe(true);
    const phone = entries.find((doc) => doc.get('token') === tokens.phone)!;
    const data = buildNotePush({ uid: alice, noteId, text: 'Call the plumber', color: 'blue', openCount: 1 });
    expect(phone.get('message')).toEqual(buildFcmMessage(tokens.phone, data, { appOrigin: `https://${PROJECT_ID}.web.app` }));
    expect(all.find((doc) => doc.get('token') === tokens.dead)!.get('errorCode')).toBe('messaging/registration-token-not-registered');

    expect(await channelExists(db, tokens.phone)).toBe(true);
    expect(await channelExists(db, tokens.bob)).toBe(true);
  }, 40_000);
});
