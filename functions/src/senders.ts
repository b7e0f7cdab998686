/**
 * The two senders behind PushSender. Production: Admin SDK messaging (FCM). In the functions
 * emulator there is no FCM (it has no emulator), so the emulator stand-in logs the exact messages
 * it would send and records each one in the Firestore emulator (`emulatorPushLog`, denied to
 * clients by the rules' final deny), and answers tokens that start with `unregistered-` the way
 * FCM answers a dead token (messaging/registration-token-not-registered), so the channel clean-up
 * runs end to end. The stand-in is chosen only when FUNCTIONS_EMULATOR === 'true'.
 */
import { logger } from 'firebase-functions';
import type { App } from 'firebase-admin/app';
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { getMessaging } from 'firebase-admin/messaging';
import { batches, type PushSender } from './fanout.js';

export const EMULATOR_PUSH_LOG = 'emulatorPushLog';
export const EMULATOR_UNREGISTERED_PREFIX = 'unregistered-';

export function fcmSender(app: App): PushSender {
  const messaging = getMessaging(app);
  return {
    async sendEach(messages) {
      const result = await messaging.sendEach(messages);
      return { responses: result.responses.map((r) => ({ success: r.success, error: r.error && { code: r.error.code, message: r.error.message } })) };
    },
  };
}

export function emulatorSender(db: Firestore): PushSender {
  return {
    async sendEach(messages) {
      const calledAt = Date.now();
      logger.info(`emulator push stand-in: would send ${messages.length} message(s) through FCM`, { messages });
      const responses = messages.map((message) =>
        message.token.startsWith(EMULATOR_UNREGISTERED_PREFIX)
          ? { success: false, error: { code: 'messaging/registration-token-not-registered', message: 'Requested entity was not found.' } }
          : { success: true },
      );
      for (const group of batches(messages.map((message, i) => ({ message, outcome: responses[i] })), 500)) {
        const batch = db.batch();
        for (const { message, outcome } of group) {
          batch.create(db.collection(EMULATOR_PUSH_LOG).doc(), {
            uid: message.data.uid ?? '',
            noteId: message.data.noteId ?? '',
            kind: message.data.kind ?? '',
            token: message.token,
            message,
            success: outcome.success,
            errorCode: outcome.error?.code ?? null,
            // Wall clock of the machine, for the fan-out benchmark (bench/benchmarks/fanout.ts).
            calledAtMs: calledAt,
            loggedAt: FieldValue.serverTimestamp(),
          });
        }
        await batch.commit();
      }
      return { responses };
    },
  };
}
