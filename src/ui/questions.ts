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

/** What deleting the account takes away, for its question. */
export interface AccountDeletion {
  notes: number;
  /** Signed-in devices, this one included; undefined when the list could not be read. */
  devices: number | undefined;
  /** The sign-in methods, in words ("Google", "email link"). */
  signIn: string;
}

export function deleteAccountQuestion({ notes, devices, signIn }: AccountDeletion): ConfirmQuestion {
  const devicesText = devices === undefined ? 'every device signed in to it' : `${devices} ${plural(devices, 'device', 'devices')} signed in to it`;
  return {
    text:
      `Delete your account and everything in it?\n\n` +
      `This deletes your ${notes} ${plural(notes, 'note', 'notes')} on the server, signs out ${devicesText} and erases the notes there, ` +
      `and removes your sign-in (${signIn}). It cannot be undone. Notes kept on this device without an account stay.\n\n` +
      `To keep a copy, export your notes first.`,
    confirm: 'Delete my account',
    cancel: 'Cancel',
    alternative: 'Export notes first',
    destructive: true,
  };
}

export const QUESTIONS = {
  emptyTrash: emptyTrashQuestion,
  moveGuestNotes: moveGuestNotesQuestion,
  signOut: signOutQuestion,
} as const;

export type QuestionName = keyof typeof QUESTIONS;
