/**
 * Cloud Functions entry point (v2). Owns the server-side reaction to note writes.
 * Today: a placeholder trigger on note creation that validates the new document and logs it;
 * sending the web push to the user's other devices comes with the push issue.
 */
import { logger } from 'firebase-functions';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { parseCreatedNote } from './created-note.js';

// A personal notes app: cap scale-out so a runaway client cannot run up a bill.
setGlobalOptions({ maxInstances: 10 });

export const onNoteCreated = onDocumentCreated('users/{uid}/notes/{noteId}', (event) => {
  const parsed = parseCreatedNote(event.params, event.data?.data());
  if (!parsed.ok) {
    // Bad input is logged and dropped, not thrown: a throw would only make the trigger retry.
    logger.warn('onNoteCreated: ignoring invalid note', { reason: parsed.reason, params: event.params });
    return;
  }
  logger.info('onNoteCreated', { eventId: event.id, ...parsed.note });
});
