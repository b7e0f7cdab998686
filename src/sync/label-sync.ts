/**
 * Label sync for one account on one device, beside the notes' engine and under the same lock
 * (controller.ts). A person has a few dozen labels, so the protocol is the simplest safe one:
 * the whole label collection is listened to, and each label edited here (marked unsent in the same
 * transaction as the edit, so a crash never loses it) is merged into the server's copy in a
 * transaction, field by field (mergeLabels), then acknowledged. Every device merges the same way,
 * so all end with the same labels whatever order the edits arrive in.
 */
import type { NotesDatabase } from '../db/database.js';
import { acknowledgeLabel, applyRemoteLabels, unsentLabels, watchUnsentLabels } from '../db/label-state.js';
import { errorCode } from '../shared/errors.js';
import type { Label } from '../shared/label.js';
import { SYNC } from './engine.js';

export interface RemoteLabels {
  /** Every label the server holds, now and after each change; onError when the listener fails. */
  listen(onLabels: (labels: Label[]) => void, onError: (error: unknown) => void): () => void;
  /** Merges the label into the server's copy atomically; resolves with the label the server now holds. */
  merge(label: Label): Promise<Label>;
}

export interface LabelSyncOptions {
  /** Waits before retry number `attempt` (0-based); tests make it instant. */
  retryDelayMs?: (attempt: number) => number;
  /** Waits `ms`; tests pass a fake clock's. */
  sleep?: (ms: number) => Promise<void>;
}

export class LabelSync {
  private stopped = false;
  private readonly stopping: Promise<void>;
  private announceStop!: () => void;
  private wake: (() => void) | undefined;
  private workWaiting = true;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: NotesDatabase,
    private readonly remote: RemoteLabels,
    options: LabelSyncOptions = {},
  ) {
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => SYNC.RETRY_DELAYS_MS[Math.min(attempt, SYNC.RETRY_DELAYS_MS.length - 1)]!);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.stopping = new Promise((resolve) => (this.announceStop = resolve));
  }

  /** Runs until stop(): listens and pushes, each retrying its failures with backoff. */
  async run(): Promise<void> {
    await Promise.all([this.pullLoop(), this.pushLoop()]);
  }

  stop(): void {
    this.stopped = true;
    this.announceStop();
    this.wake?.();
  }

  /** Looks for unsent labels now (say, the connection came back). */
  nudge(): void {
    this.workWaiting = true;
    this.wake?.();
  }

  private async pullLoop(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const failed = await new Promise<unknown>((resolve) => {
        let storing = Promise.resolve();
        const unsubscribe = this.remote.listen(
          (labels) => {
            attempt = 0;
            // In arrival order, one at a time: a later snapshot must not be overtaken by an earlier one.
            storing = storing.then(() => (this.stopped ? undefined : applyRemoteLabels(this.db, labels))).catch((error: unknown) => finish(error));
          },
          (error) => finish(error),
        );
        const finish = (error: unknown) => {
          unsubscribe();
          void storing.finally(() => resolve(error));
        };
        void this.stopping.then(() => finish(undefined));
      });
      if (this.stopped) return;
      if (errorCode(failed) !== 'unavailable') console.warn('Label sync: listening failed; trying again', failed);
      await this.backOff(attempt);
    }
  }

  private async pushLoop(): Promise<void> {
    const unwatch = watchUnsentLabels(
      this.db,
      (count) => {
        if (count > 0) this.nudge();
      },
      () => this.nudge(),
    );
    try {
      for (let attempt = 0; !this.stopped; ) {
        if (!this.workWaiting) await new Promise<void>((resolve) => (this.wake = resolve));
        this.workWaiting = false;
        if (this.stopped) return;
        try {
          for (const label of await unsentLabels(this.db)) {
            if (this.stopped) return;
            await acknowledgeLabel(this.db, label, await this.remote.merge(label));
          }
          attempt = 0;
        } catch (error) {
          if (errorCode(error) !== 'unavailable') console.warn('Label sync: sending failed; trying again', error);
          this.workWaiting = true;
          await this.backOff(attempt++);
        }
      }
    } finally {
      unwatch();
    }
  }

  /** Waits before a retry; stop() ends the wait, so run() returns promptly and frees the sync lock. */
  private async backOff(attempt: number): Promise<void> {
    await Promise.race([this.sleep(this.retryDelayMs(attempt)), this.stopping]);
  }
}
