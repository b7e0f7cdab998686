/** The questions the shell asks through its confirm-dialog, worded once each (loaded with the dialog). */
import type { ConfirmQuestion } from './confirm-dialog.js';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

function emptyTrashQuestion(count: number): ConfirmQuestion {
  return {
    text: `Delete ${count === 1 ? 'the note' : `all ${count} notes`} in the trash forever?`,
    confirm: 'Delete forever',
    cancel: 'Cancel',
  };
}

function moveGuestNotesQuestion(count: number): ConfirmQuestion {
  return {
    text:
      `This device has ${count} ${plural(count, 'note', 'notes')} from before you signed in. ` +
      `Move ${plural(count, 'it', 'them')} into your account, so ${plural(count, 'it roams', 'they roam')} with you?`,
    confirm: 'Move into my account',
    cancel: 'Not now',
  };
}

function signOutQuestion(unsynced: number): ConfirmQuestion {
  return {
    text:
      `${unsynced} ${plural(unsynced, 'change', 'changes')} on this device ${plural(unsynced, 'has', 'have')} not synced yet. ` +
      `Signing out removes this account's notes from this device, and those changes with them.`,
    confirm: 'Sign out anyway',
    cancel: 'Stay signed in',
  };
}

export const QUESTIONS = {
  emptyTrash: emptyTrashQuestion,
  moveGuestNotes: moveGuestNotesQuestion,
  signOut: signOutQuestion,
} as const;

export type QuestionName = keyof typeof QUESTIONS;
