/**
 * Cloud Functions entry point: the server-side reaction to a created note (a data-only web
 * push to the person's other devices, see note-push.ts), the "Send a test notification"
 * callable of My devices, and erasing a person's data when their account is deleted
 * (account-erase.ts; a v1 Auth trigger, since v2 has no non-blocking user-deletion event), and
 * a device's catch-up as one streamed download (note-download.ts). FCM sits behind one narrow sender (fanout.ts PushSender): Admin SDK
 * messaging in production, a logging and recording stand-in in the functions emulator.
 */
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { logger } from 'firebase-functions';
import { runWith } from 'firebase-functions/v1';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onDocumentCreated, onDocumentWritten } from 'firebase-functions/v2/firestore';
import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { HttpsError, onCall, onRequest } from 'firebase-functions/v2/https';
import { eraseAccount } from './account-erase.js';
import { getAuth } from 'firebase-admin/auth';
import { adminApp, adminFirestore } from './admin.js';
import { deviceState, registerDevice } from './devices.js';
import { downloadAccess, downloadLine, streamNotes } from './note-download.js';
import { NOTE_DOWNLOAD, parseDownloadRequest } from './shared/note-download.js';
import type { PushSender } from './fanout.js';
import { fanOutNotePush } from './note-push.js';
import { emulatorSender, fcmSender } from './senders.js';
import { announceAnswered, ringMinute, scheduleReminderChange, taskClock, type ReminderScheduler } from './reminder-ring.js';
import { cloudTasksScheduler, emulatorScheduler } from './reminder-schedulers.js';
import { sendTestPushTo } from './test-push.js';

// A personal notes app: cap scale-out so a runaway client cannot run up a bill.
setGlobalOptions({ maxInstances: 10 });

let sender: PushSender | undefined;

/** FCM has no emulator: in the functions emulator, pushes go to the recording stand-in instead. */
function pushSender(): PushSender {
  sender ??= process.env.FUNCTIONS_EMULATOR === 'true' ? emulatorSender(adminFirestore()) : fcmSender(adminApp());
  return sender;
}

let scheduler: ReminderScheduler | undefined;

/** The tasks emulator ignores schedule times: in the functions emulator, the schedule is recorded for the tests' clock. */
function reminderScheduler(): ReminderScheduler {
  scheduler ??= process.env.FUNCTIONS_EMULATOR === 'true' ? emulatorScheduler(adminFirestore()) : cloudTasksScheduler(adminApp());
  return scheduler;
}

/** Where the app is served; FCM wants an absolute https link. APP_ORIGIN overrides the Hosting default. */
function appOrigin(): string | undefined {
  const project = process.env.GCLOUD_PROJECT ?? process.env.GCP_PROJECT;
  return process.env.APP_ORIGIN ?? (project ? `https://${project}.web.app` : undefined);
}

export const onNoteCreated = onDocumentCreated('users/{uid}/notes/{noteId}', async (event) => {
  const result = await fanOutNotePush(
    { db: adminFirestore(), sender: pushSender(), appOrigin: appOrigin() },
    { id: event.id, params: event.params, data: event.data?.data() },
  );
  // Bad input is logged and dropped, not thrown: a throw would only make the trigger retry.
  // The note text is never logged.
  if (result.status === 'invalid') logger.warn('onNoteCreated: ignoring invalid note', { reason: result.reason, params: event.params });
  else logger.info('onNoteCreated', { eventId: event.id, ...event.params, ...result });
});

export const sendTestPush = onCall(async (request) => {
  if (!request.auth) throw new HttpsError('unauthenticated', 'Sign in to send a test notification.');
  const channelId = (request.data as { channelId?: unknown } | null)?.channelId;
  const result = await sendTestPushTo({ db: adminFirestore(), sender: pushSender(), appOrigin: appOrigin() }, request.auth.uid, channelId);
  if (!result.ok) throw new HttpsError(result.code, result.message);
  return { sent: true };
});

/**
 * Runs when a Firebase Auth user is deleted (by the app's "Delete my account", the console or the
 * Admin SDK); the Auth emulator sends this event to the functions emulator too. Retried on failure
 * (failurePolicy): a second run finishes what a first one left (account-erase.ts).
 */
export const onAccountDeleted = runWith({ failurePolicy: true, timeoutSeconds: 540 }).auth.user().onDelete(async (user) => {
  const counts = await eraseAccount(adminFirestore(), user.uid);
  logger.info('onAccountDeleted: erased', { uid: user.uid, ...counts });
});

/**
 * My devices' registry: the calling device records itself (name, platform, last seen) and gets a
 * custom token whose sessions name it (the `deviceId` claim the rules check; see devices.ts).
 * Making custom tokens needs the Service Account Token Creator role for the function's service
 * account in production; the Auth emulator accepts unsigned ones.
 */
export const registerMyDevice = onCall(async (request) => {
  if (!request.auth) throw new HttpsError('unauthenticated', 'Sign in to register this device.');
  const caller = { uid: request.auth.uid, deviceClaim: request.auth.token.deviceId };
  const result = await registerDevice(adminFirestore(), caller, request.data);
  if (!result.ok) throw new HttpsError(result.code, result.message);
  const token = await getAuth(adminApp()).createCustomToken(request.auth.uid, { deviceId: result.registration.deviceId });
  return { token };
});

/**
 * Whether the calling device may go on (see deviceState): the app asks when its listener reports
 * the device's record missing, which the Firestore SDK can report for a record that exists, so
 * that a device is erased only on the server's word. Answers, never refuses, a signed-in caller.
 */
export const checkMyDevice = onCall(async (request) => {
  if (!request.auth) throw new HttpsError('unauthenticated', 'Sign in to check this device.');
  return { state: await deviceState(adminFirestore(), { uid: request.auth.uid, deviceClaim: request.auth.token.deviceId }) };
});

/**
 * Every note write: when the reminder changed, file the occurrence that rings next, and when the
 * write answered an occurrence the server rang, tell the other devices (reminder-ring.ts). Most
 * writes change no reminder and return after comparing the two versions.
 */
export const onNoteWritten = onDocumentWritten('users/{uid}/notes/{noteId}', async (event) => {
  const { uid, noteId } = event.params;
  const write = { uid, noteId, before: event.data?.before.data(), after: event.data?.after.data() };
  const now = Date.now();
  const [scheduled, announced] = await Promise.all([
    scheduleReminderChange({ db: adminFirestore(), scheduler: reminderScheduler() }, write, now),
    announceAnswered({ db: adminFirestore(), sender: pushSender(), appOrigin: appOrigin() }, write, now),
  ]);
  if (scheduled.status === 'scheduled' || scheduled.status === 'exists') logger.info('onNoteWritten: reminder scheduled', { uid, noteId, ...scheduled });
  if (announced.status === 'announced') logger.info('onNoteWritten: answered reminder announced', { uid, noteId, ...announced });
});

/**
 * A minute's reminders are due: ring each on every device of its person (reminder-ring.ts).
 * Retried on failure (what was not sent is not claimed); a malformed task is logged, not retried.
 */
export const ringReminderTask = onTaskDispatched(
  // It starts REMINDERS.LEAD_MS before its minute and waits for it: time enough for that and a full minute's sends.
  { retryConfig: { maxAttempts: 5, minBackoffSeconds: 10 }, rateLimits: { maxConcurrentDispatches: 100 }, timeoutSeconds: 300 },
  async (request) => {
    const deps = { db: adminFirestore(), sender: pushSender(), scheduler: reminderScheduler(), appOrigin: appOrigin() };
    const result = await ringMinute(deps, request.data, taskClock(request.scheduledTime, Date.now()));
    if (result.status === 'invalid') logger.warn('ringReminderTask: ignoring a malformed task', { reason: result.reason, id: request.id });
    else logger.info('ringReminderTask', { id: request.id, ...result });
  },
);

/**
 * A device's catch-up in one streamed response (note-download.ts): every note of the caller
 * changed after the given cursor. POST with `Authorization: Bearer <ID token>` (a GET only starts
 * the function, answering nothing); any origin may
 * ask (CORS), as only the token says whose notes are read. A device that stops reading (it closed,
 * or gave up on a stall) ends the read.
 */
export const downloadNotes = onRequest({ cors: true, timeoutSeconds: 300, memory: '512MiB' }, async (request, response) => {
  // A GET is the app starting this function while the person signs in (a cold start takes seconds).
  if (request.method === 'GET') {
    response.status(204).end();
    return;
  }
  if (request.method !== 'POST') {
    response.status(405).set('Allow', 'GET, POST').send('Use POST.');
    return;
  }
  const token = /^Bearer (.+)$/.exec(request.get('Authorization') ?? '')?.[1];
  const decoded = token ? await getAuth(adminApp()).verifyIdToken(token).catch(() => undefined) : undefined;
  if (!decoded) {
    response.status(401).send('Sign in to download your notes.');
    return;
  }
  const parsed = parseDownloadRequest(request.body);
  if (typeof parsed === 'string') {
    response.status(400).send(parsed);
    return;
  }
  const db = adminFirestore();
  const access = await downloadAccess(db, { uid: decoded.uid, deviceClaim: decoded.deviceId });
  if (!access.ok) {
    response.status(access.status).send(access.message);
    return;
  }
  let gone = false;
  response.on('close', () => (gone = true));
  // Notes are repetitive JSON: gzip makes 10,000 of them about a tenth of the bytes on a phone's
  // connection. Each write is flushed, so the device stores the first notes while later ones come.
  const gzip = /\bgzip\b/.test(request.get('Accept-Encoding') ?? '') ? createGzip() : undefined;
  response.status(200).set({ 'Content-Type': NOTE_DOWNLOAD.CONTENT_TYPE, 'Cache-Control': 'no-store', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
  const out: Writable = gzip ?? response;
  gzip?.pipe(response);
  const send = (text: string) => {
    const more = out.write(text);
    gzip?.flush();
    return more;
  };
  const sink = {
    write: (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (gone) reject(new Error('the device stopped reading'));
        else if (send(text)) resolve();
        else {
          const onClose = () => reject(new Error('the device stopped reading'));
          response.once('close', onClose);
          out.once('drain', () => {
            response.off('close', onClose);
            resolve();
          });
        }
      }),
  };
  try {
    const notes = await streamNotes(db, decoded.uid, parsed.after, sink);
    logger.info('downloadNotes', { uid: decoded.uid, notes, resumed: parsed.after !== undefined });
  } catch (error) {
    if (!gone) {
      logger.error('downloadNotes: failed midway', { uid: decoded.uid, error: String(error) });
      send(downloadLine({ error: 'The server could not finish the download.' }));
    }
  }
  out.end();
});
