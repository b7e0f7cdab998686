/**
 * What the app shell (src/ui/notes-app.ts) needs from push, as one reactive controller, so the
 * shell only calls it: the app badge follows the board (open notes) after every update; this
 * device's channel is refreshed once an account is signed in and removed at sign-out; and a note
 * opened from a notification (/?note=<id>) is waited for until the board has it. The channel code
 * (and with it Firebase) is loaded only when needed, never before first paint.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AccountSummary } from '../account/session.js';
import { showAppBadge } from './badge.js';

type BoardNote = { id: string; done: boolean };

export class PushHooks implements ReactiveController {
  private lastCount = -1;
  private readonly waiters = new Set<() => void>();

  /**
   * @param board the board notes the app holds (the window in view, where a note that just
   *   arrived shows up first)
   * @param openCount how many notes are open (counted by the database, not from `board`)
   */
  constructor(
    host: ReactiveControllerHost,
    private readonly board: () => readonly BoardNote[] | undefined,
    private readonly openCount: () => number | undefined,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const count = this.openCount();
    if (count !== undefined && count !== this.lastCount) {
      this.lastCount = count;
      void showAppBadge(count);
    }
    for (const check of [...this.waiters]) check();
  }

  /** After sign-in and on app open while signed in: lastSeen, token rotation, takeover. */
  refreshThisDevice(account: AccountSummary): void {
    void import('./channels.js')
      .then((push) => push.refreshThisDevice(account))
      .catch((error: unknown) => console.warn('push: refresh failed', error));
  }

  /** At the start of sign-out; a failure here never blocks signing out. */
  async removeThisDevice(): Promise<void> {
    try {
      const push = await import('./channels.js');
      await push.removeThisDevice();
    } catch (error) {
      console.warn('push: could not remove this device at sign-out', error);
    }
  }

  /** Resolves true once the board holds the note (sync may still be bringing it), false after `timeoutMs`. */
  waitForNote(id: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (found: boolean) => {
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const check = () => {
        if (this.board()?.some((note) => note.id === id)) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}
