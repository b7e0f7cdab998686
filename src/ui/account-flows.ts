/**
 * The shell's account flows that ask and tell the person something: the guest's notes once an
 * account is open (the offer to move them in after a first sign-in, the move itself from the
 * offer, the "On this device" list or the account menu) and signing out. Each message says what
 * happened. "Not now" leaves the guest notes on the device, counted by AccountLifecycle.guestNotes,
 * so they stay reachable and the move stays on offer. And deleting the account: what goes, an
 * export first if wanted, the deletion (signing in again when Firebase asks), this device's copy.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AccountLifecycle } from '../account/lifecycle.js';
import { countMovableNotes } from '../db/accounts.js';
import type { NotesDatabase } from '../db/database.js';
import { countUnsyncedChanges } from '../db/notes.js';
import type { SnackbarMessage } from './app-snackbar.js';
import type { Choice } from './confirm-dialog.js';
import type { AccountDeletion } from './questions.js';

const notes = (count: number) => `${count} ${count === 1 ? 'note' : 'notes'}`;

/** What the controller needs of the shell. */
export interface AccountFlowsShell {
  /** Asks whether to move `count` guest notes in; resolves whether the person agreed. */
  askToMove(count: number): Promise<boolean>;
  /** Asks whether to sign out with `unsynced` changes not yet synced. */
  askToSignOut(unsynced: number): Promise<boolean>;
  closeAccountDialog(): Promise<void>;
  /** Removes this device's push channel (while still signed in; never blocks signing out). */
  removeThisDevice(): Promise<void>;
  /** Takes back the question when it no longer stands (another tab moved the notes). */
  withdrawQuestion(): void;
  say(message: SnackbarMessage): void;
  /** Runs a store operation on the open database; false when it failed (and said why). */
  run(operation: (db: NotesDatabase) => Promise<unknown>): Promise<boolean>;
  /** Asks whether to delete the account, saying what goes; 'alternative' is "Export notes first". */
  askToDeleteAccount(what: AccountDeletion): Promise<Choice>;
}

const METHOD_NAMES: Record<string, string> = {
  google: 'Google',
  microsoft: 'Microsoft',
  facebook: 'Facebook',
  twitter: 'X',
  github: 'GitHub',
  apple: 'Apple',
  email: 'email link',
};

export class AccountFlows implements ReactiveController {
  /** The question is open or the move is running: the board is not "empty" yet. */
  busy = false;
  private asking = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly lifecycle: AccountLifecycle,
    private readonly shell: AccountFlowsShell,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** After a first sign-in on this device: offers the move when guest notes are here. */
  async offer(): Promise<void> {
    const count = this.lifecycle.guestNotes;
    if (count === 0) return;
    this.setBusy(true);
    this.asking = true;
    let agreed: boolean;
    try {
      agreed = await this.shell.askToMove(count);
    } finally {
      this.asking = false;
    }
    if (agreed) {
      await this.move();
      return;
    }
    this.setBusy(false);
    // Withdrawn because another tab moved them: that tab's news is said by movedElsewhere.
    if (this.lifecycle.guestNotes > 0) {
      this.shell.say({
        text: `Not moved. The ${notes(this.lifecycle.guestNotes)} kept on this device are under “On this device”; move them from there or from your account.`,
      });
    }
  }

  /** Moves the guest notes into the open account and says what happened. */
  async move(): Promise<void> {
    this.setBusy(true);
    let moved = 0;
    try {
      const done = await this.shell.run(async (db) => (moved = await this.lifecycle.moveGuestNotesInto(db)));
      if (!done) return;
      this.shell.say({
        text:
          moved > 0
            ? `Moved ${notes(moved)} into your account.`
            : 'Nothing to move: the notes kept on this device were already moved into your account.',
      });
    } finally {
      this.setBusy(false);
    }
  }

  /** Another tab moved the guest notes into this account: drop the offer and say so. */
  movedElsewhere(moved: number): void {
    if (this.asking) this.shell.withdrawQuestion();
    this.shell.say({ text: `Moved ${notes(moved)} from this device into your account in another tab.` });
  }

  /** Sign out, after a warning when changes have not synced. */
  async signOut(): Promise<void> {
    const storage = this.lifecycle.storage;
    const unsynced = storage.status === 'ready' ? await countUnsyncedChanges(storage.db) : 0;
    await this.shell.closeAccountDialog();
    if (unsynced > 0 && !(await this.shell.askToSignOut(unsynced))) return;
    await this.shell.removeThisDevice();
    try {
      await this.lifecycle.signOut();
      const guest = this.lifecycle.storage;
      this.shell.say({ text: signedOutMessage(guest.status === 'ready' ? await countMovableNotes(guest.db) : 0) });
    } catch (error) {
      this.shell.say({ text: `Signing out failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /**
   * Delete my account: says what goes (notes, devices, the sign-in), offers an export first,
   * deletes the Auth user (the server erases the rest), then this device's copy; the guest's
   * notes stay. Sync stops before the deletion, so nothing is sent while it runs.
   */
  async deleteAccount(): Promise<void> {
    const account = this.lifecycle.account;
    if (account.kind !== 'account') return;
    const { uid, methods } = account.account;
    const storage = this.lifecycle.storage;
    const [noteCount, devices] = await Promise.all([
      storage.status === 'ready' ? countMovableNotes(storage.db) : Promise.resolve(0),
      countSignedInDevices(uid).catch(() => undefined),
    ]);
    await this.shell.closeAccountDialog();
    const signIn = methods.map((method) => METHOD_NAMES[method] ?? method).join(', ') || 'your sign-in method';
    for (;;) {
      const choice = await this.shell.askToDeleteAccount({ notes: noteCount, devices, signIn });
      if (choice === 'cancel') return;
      if (choice === 'confirm') break;
      // Export first, then the question again: the person decides with the file in hand.
      await this.exportNotes();
    }
    try {
      // Deletes the Firebase Auth user, signing in again first when Firebase asks for it.
      await (await import('../firebase/auth.js')).deleteSignedInUser(uid);
    } catch (error) {
      this.shell.say({ text: `Your account was not deleted: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    await this.lifecycle.eraseThisDevice('account-deleted', uid);
  }

  /** Downloads a backup of the open notes and says how many; false when it failed (and said why). */
  private exportNotes(): Promise<boolean> {
    return this.shell.run(async (db) => {
      const [{ exportNotes }, { downloadBackup }] = await Promise.all([import('../db/backup.js'), import('./download-backup.js')]);
      const backup = await exportNotes(db);
      downloadBackup(backup);
      this.shell.say({ text: `Exported ${notes(backup.notes.length)}.` });
    });
  }

  /** This device's copy of the account was erased without the person here asking: says why. */
  erased(end: 'revoked' | 'account-deleted'): void {
    this.shell.say({ text: erasedMessage(end) });
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.host.requestUpdate();
  }
}

/** The person's signed-in devices: those in the registry not signed out. */
async function countSignedInDevices(uid: string): Promise<number> {
  const { listDevices } = await import('../account/devices.js');
  return (await listDevices(uid)).filter((device) => !device.revoked).length;
}

/** The words after this device's copy of an account was erased without the person here asking. */
export function erasedMessage(end: 'revoked' | 'account-deleted'): string {
  return end === 'revoked'
    ? 'This device was signed out from another of your devices, and that account’s notes were erased from it. Changes not synced are gone.'
    : 'The account was deleted, so its notes were erased from this device.';
}

/** The words after signing out: what was removed, and what the board shows now. */
export function signedOutMessage(guestNotesShown: number): string {
  const removed = 'Signed out. This account’s notes were removed from this device.';
  return guestNotesShown > 0 ? `${removed} Shown now: the ${notes(guestNotesShown)} kept on this device without an account.` : removed;
}
