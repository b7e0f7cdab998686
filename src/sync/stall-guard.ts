/**
 * Deadlines on the catch-up's reads. Firestore's WebChannel stream has been seen to leave a page
 * read unanswered for good (neither failing nor retrying, the bare SDK as much as the app), which
 * left a first sync at "Connecting…" forever. A read that has not answered within the deadline is
 * abandoned and asked again; nothing of it was stored, so it is asked for the same checkpoint.
 * Stalls in a row on one connection make the connection anew before the next try.
 */

/** What a read that missed its deadline resolves to in the race against it. */
const STALLED = Symbol('stalled');

export interface StallGuardOptions {
  deadlineMs: number;
  /** Stalls in a row before reconnect() is called (and the count starts again). */
  stallsBeforeReconnect: number;
  sleep: (ms: number) => Promise<void>;
  /** Resolves when the engine stops: a read then ends at once, with nothing. */
  stopping: Promise<void>;
  reconnect: () => Promise<void>;
  /** Tells the status line that reads stall (true) or answer again (false). */
  report: (stalled: boolean) => Promise<void>;
}

export class StallGuard {
  private stallsInARow = 0;
  /** The status line says reads stall: the next read that answers takes that back. */
  private stallReported = false;
  private stopped = false;

  constructor(private readonly options: StallGuardOptions) {
    void options.stopping.then(() => (this.stopped = true));
  }

  /**
   * Runs the read, asking again after each stall until it answers. Resolves undefined once the
   * engine stopped; a read that fails (rather than stalls) rejects as it would without the guard.
   */
  async read<T>(read: () => Promise<T>): Promise<{ value: T } | undefined> {
    const { deadlineMs, stallsBeforeReconnect, sleep, stopping, reconnect, report } = this.options;
    for (;;) {
      // An abandoned read that answers or fails later is ignored: race() has subscribed to it.
      const outcome = await Promise.race([
        read().then((value) => ({ value })),
        sleep(deadlineMs).then((): typeof STALLED => STALLED),
        stopping.then(() => undefined),
      ]);
      if (this.stopped || outcome === undefined) return undefined;
      if (outcome !== STALLED) {
        this.stallsInARow = 0;
        if (this.stallReported) {
          this.stallReported = false;
          await report(false);
        }
        return outcome;
      }
      this.stallsInARow += 1;
      this.stallReported = true;
      await report(true);
      if (this.stallsInARow >= stallsBeforeReconnect) {
        this.stallsInARow = 0;
        await reconnect();
      }
    }
  }
}
