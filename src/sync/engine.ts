/**
 * The sync engine of one account on one device: pushes the outbox to the server and pulls the
 * server's changes into Dexie.
 *
 * Push: outbox entries in order, grouped per note, at most BATCH_NOTES notes per atomic write.
 * An entry leaves the outbox only after the server acknowledged it, so a crash, a closed tab or a
 * lost connection before that means it is sent again; resending is harmless (merge writes with the
 * same stamps). A change the server refuses for good is set aside on its entries (`rejected`) and
 * the rest of the queue goes on.
 *
 * Pull: changes after a persisted checkpoint, ordered by (server updatedAt, id) so notes sharing
 * a timestamp are never skipped; first in pages (with progress), then live. Each page, or each
 * run of snapshots that arrived while the last was being stored, is merged in one Dexie
 * transaction with the checkpoint, so a crash never applies half a page or moves the checkpoint
 * past changes that were not stored. A snapshot that cannot be stored ends the live phase (a later
 * one must not carry the checkpoint past it), and a stopped engine stores nothing more.
 *
 * This module is the protocol only (when to push, pull, listen and back off); every read and
 * write of the notes database goes through the store (src/db/sync-state.ts).
 */
import type { NotesDatabase, SyncStatus } from '../db/database.js';
import { pageStoreOnThisThread, type RemotePageStore } from '../db/page-merger.js';
import { checkpointOf, type Checkpoint, type RemoteNote } from '../db/remote-note.js';
import {
  acknowledgeChanges,
  applyRemotePage,
  finishFullResync,
  nextPendingChanges,
  readCheckpoint,
  readNote,
  setAsideChanges,
  updateSyncStatus,
  watchOutbox,
  type PendingChange,
  type Rejection,
} from '../db/sync-state.js';
import { readSyncStatus } from '../db/sync-summary.js';
import { errorCode } from '../shared/errors.js';
import { isRejection, type RemoteNotes } from './remote.js';
import { StallGuard } from './stall-guard.js';
import { SYNC_TEXTS, describeFailure, describeRejection } from './texts.js';
import { buildWrite, sentValues, supersededOnServer } from './outgoing.js';

export const SYNC = {
  /** Firestore's limit for one batched write is 500 operations. */
  BATCH_NOTES: 500,
  /**
   * Notes per page while catching up, one page in flight at a time: well below the result sizes at
   * which Firestore's stream to the emulator fails and retries forever. (Fetching the next page
   * while storing the last, or pages of 2,000, were faster but a first sync then hung now and then.)
   */
  PAGE_NOTES: 1_000,
  /** Tombstones older than this may be purged on the server: a checkpoint this old resyncs fully. */
  TOMBSTONE_RETENTION_MS: 30 * 24 * 60 * 60 * 1000,
  /**
   * Times a refused change is re-merged with the server's copy and sent again before the refusal
   * counts (one round). A refusal is most often a race (another device's later edit landed first);
   * under many devices editing one note, the retry itself can lose another race.
   */
  REFUSAL_ATTEMPTS: 5,
  /**
   * Rounds a change must be refused in, apart by the push loop's wait, before it is set aside: a
   * server under load has been seen to refuse valid writes in bursts (the emulator's rules failing
   * to look up the device's session) while still showing the note, and a change set aside is not
   * sent again by itself.
   */
  REFUSAL_ROUNDS: 3,
  /** Waits between retries after a failure that may pass (offline, server busy). */
  RETRY_DELAYS_MS: [1_000, 2_000, 5_000, 10_000, 30_000, 60_000],
  /**
   * Waits between retries of a refusal not yet confirmed: a round of refusals (REFUSAL_ROUNDS), or
   * one the server gave while it would not show its own copy of the note either, so it could not
   * judge the write at all. Both pass in a moment under load, so the retry comes soon; were the
   * session over instead, the account's session watch signs the device out and stops sync.
   */
  UNCONFIRMED_REFUSAL_DELAYS_MS: [250, 500, 1_000, 2_000, 5_000],
  /**
   * A catch-up read (a page, or the count) that has not answered within this long has stalled and
   * is abandoned: Firestore's WebChannel stream has been seen to leave a page read unanswered for
   * good, neither failing nor retrying. A 1,000-note page answers in well under a second here.
   */
  READ_DEADLINE_MS: 10_000,
  /**
   * Stalled reads in a row before the connection is dropped and made anew. The first stall is
   * retried on the same connection (cheap, and enough when one request was lost); a second means
   * the stream itself is stuck.
   */
  STALLS_BEFORE_RECONNECT: 2,
  /** The most recently changed notes a first sync stores before the rest: the board's first screens. */
  NEWEST_FIRST_NOTES: 60,
  /**
   * Notes per page stored from the streamed download: larger than a read's page, as the download
   * has no result size to keep small and each page stored costs a transaction and a progress update.
   */
  DOWNLOAD_PAGE_NOTES: 2_500,
  /** Downloads in a row that stall or are cut short before the rest is read page by page (from where they got to). */
  DOWNLOAD_ATTEMPTS: 3,
} as const;


/** What a retry follows: a failure (offline, server busy), or a refusal not yet confirmed (SYNC.REFUSAL_ROUNDS). */
export type RetryAfter = 'failure' | 'unconfirmed-refusal';

export interface SyncEngineOptions {
  now?: () => number;
  /**
   * Waits before retry number `attempt` (0-based) after a failure, or after a refusal not yet confirmed
   * (SYNC.UNCONFIRMED_REFUSAL_DELAYS_MS); tests make it instant. The default spreads each wait at
   * random between half and all of its delay, so devices failed by one busy moment do not all
   * come back in the same one.
   */
  retryDelayMs?: (attempt: number, after?: RetryAfter) => number;
  sleep?: (ms: number) => Promise<void>;
  /** Notes per catch-up page (SYNC.PAGE_NOTES, and DOWNLOAD_PAGE_NOTES for the download); tests make it small to put page boundaries anywhere. */
  pageNotes?: number;
  /** Where pulled and heard pages are stored: the app's worker (page-merger.ts); this thread by default. */
  pages?: RemotePageStore;
  /** How long a catch-up read may go without an answer (SYNC.READ_DEADLINE_MS); tests make it short. */
  readDeadlineMs?: number;
}

export class SyncEngine {
  private readonly now: () => number;
  private readonly retryDelayMs: (attempt: number, after?: RetryAfter) => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pageNotes: number;
  private readonly downloadPageNotes: number;
  private readonly readDeadlineMs: number;
  private readonly pages: RemotePageStore;
  private stopped = false;
  /** Resolves on stop(), ending any backoff wait at once. */
  private readonly stopping: Promise<void>;
  private announceStop!: () => void;
  /** Ends the live phase of the pull (stop() calls it). */
  private endLive: (() => void) | undefined;
  /** Ends the push loop's wait for work, or its wait before a retry. */
  private wake: (() => void) | undefined;
  /**
   * Why the last push failed, until a push succeeds: the status line keeps saying it while the
   * pull loop goes on storing snapshots (each of which would otherwise clear the error).
   */
  private pushFailure: string | undefined;
  /** Rounds of refusals each note's change has met so far (see SYNC.REFUSAL_ROUNDS). */
  private readonly refusalRounds = new Map<string, number>();
  /**
   * Set when the outbox changed (or nudge()) since the push loop last looked: a change that lands
   * while a push is in flight must not be missed because nobody was waiting for the wake-up yet.
   */
  private workWaiting = false;
  /** Aborted on stop(): ends a download in flight at once. */
  private readonly stopSignal = new AbortController();
  /** The server answered that it has no streamed download: catch-ups read page by page. */
  private downloadUnavailable = false;
  /** Catch-up reads go through it: a read that stops answering is abandoned and asked again. */
  private readonly reads: StallGuard;

  constructor(
    private readonly db: NotesDatabase,
    private readonly remote: RemoteNotes,
    options: SyncEngineOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.retryDelayMs = options.retryDelayMs ?? spreadRetryDelay;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.stopping = new Promise((resolve) => (this.announceStop = resolve));
    this.pageNotes = options.pageNotes ?? SYNC.PAGE_NOTES;
    this.downloadPageNotes = options.pageNotes ?? SYNC.DOWNLOAD_PAGE_NOTES;
    this.readDeadlineMs = options.readDeadlineMs ?? SYNC.READ_DEADLINE_MS;
    this.pages = options.pages ?? pageStoreOnThisThread(db);
    this.reads = new StallGuard({
      deadlineMs: this.readDeadlineMs,
      stallsBeforeReconnect: SYNC.STALLS_BEFORE_RECONNECT,
      sleep: this.sleep,
      stopping: this.stopping,
      reconnect: () => this.remote.reconnect(),
      report: (stalled) => this.setStatus({ error: stalled ? SYNC_TEXTS.failure.stalled : undefined }),
    });
  }

  // ---- Push ------------------------------------------------------------------------------------

  /** Sends the oldest outbox entries (up to one batch). Returns how many notes were acknowledged or set aside. */
  async pushOnce(): Promise<number> {
    const changes = await nextPendingChanges(this.db, SYNC.BATCH_NOTES);
    if (changes.length === 0) return 0;
    try {
      const writes = changes.map(({ note, entries }) => buildWrite(note, entries));
      await this.remote.write(writes);
      for (const { note } of changes) this.refusalRounds.delete(note.id);
      await acknowledgeChanges(this.db, changes.flatMap((change) => change.entries), sentValues(writes));
    } catch (error) {
      // Refused after stop(): the session is ending (sign-out marks this device signed out, which
      // the rules refuse from then on), not a verdict on the changes. Nothing is set aside.
      if (!isRejection(error) || this.stopped) throw error;
      // One refused note must not hold back the others: find it by sending them one by one. One
      // whose refusal is not confirmed yet is sent again later, after the others.
      let unconfirmed: UnconfirmedRefusal | undefined;
      for (const change of changes) {
        try {
          await this.pushAlone(change);
        } catch (error) {
          if (!(error instanceof UnconfirmedRefusal)) throw error;
          unconfirmed ??= error;
        }
      }
      if (unconfirmed) throw unconfirmed;
    }
    return changes.length;
  }

  /**
   * Sends one note's change; if refused, re-merges with the server's copy and tries again, a few
   * times, before setting it aside. A change whose every field already holds a later (or the same)
   * edit on the server lost its race everywhere: it is done, with nothing left to send.
   */
  private async pushAlone({ note: { id }, entries }: PendingChange): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const note = await readNote(this.db, id);
      if (!note) {
        this.refusalRounds.delete(id);
        return acknowledgeChanges(this.db, entries);
      }
      try {
        const write = buildWrite(note, entries);
        await this.remote.write([write]);
        this.refusalRounds.delete(id);
        return acknowledgeChanges(this.db, entries, sentValues([write]));
      } catch (error) {
        if (!isRejection(error) || this.stopped) throw error;
        if (attempt < SYNC.REFUSAL_ATTEMPTS) {
          const current = await this.remote.get(id).catch((readError: unknown) => {
            throw isRejection(readError) && !this.stopped ? new UnconfirmedRefusal(error) : readError;
          });
          if (current) {
            await applyRemotePage(this.db, [current], { advanceCheckpoint: false, now: this.now });
            // Judged on the note as merged: a text merge stamps the merged text anew, to be sent.
            const merged = await readNote(this.db, id);
            if (merged && supersededOnServer(merged, current, entries)) {
              this.refusalRounds.delete(id);
              return acknowledgeChanges(this.db, entries);
            }
          }
          continue;
        }
        const rounds = (this.refusalRounds.get(id) ?? 0) + 1;
        if (rounds < SYNC.REFUSAL_ROUNDS) {
          this.refusalRounds.set(id, rounds);
          throw new UnconfirmedRefusal(error);
        }
        this.refusalRounds.delete(id);
        const rejected: Rejection = { code: errorCode(error) || 'rejected', message: describeRejection(error) };
        return setAsideChanges(this.db, entries, rejected);
      }
    }
  }

  async pushAll(): Promise<void> {
    while ((await this.pushOnce()) > 0) {
      // keep going until the outbox holds nothing sendable
    }
  }

  // ---- Pull ------------------------------------------------------------------------------------

  /**
   * Pulls every change after the checkpoint, reporting progress: through the server's streamed
   * download where it offers one, else (or when the download fails for another reason than a
   * refusal) page by page from wherever the download got to. A checkpoint older than the
   * tombstone retention resyncs from the start and drops local notes the server no longer has
   * (their tombstones were purged), unless they hold unsent edits.
   */
  async catchUp(): Promise<void> {
    let after = await readCheckpoint(this.db);
    const fullResync = after !== undefined && after.time.seconds * 1000 < this.now() - SYNC.TOMBSTONE_RETENTION_MS;
    if (fullResync) after = undefined;
    const seen = fullResync ? new Set<string>() : undefined;
    let total: number | undefined;
    let done = 0;
    const store = async (page: RemoteNote[]) => {
      // A full resync keeps the old checkpoint until it has dropped what the server forgot: if it
      // moved page by page, a crash midway would leave a recent checkpoint, the next start would
      // not resync, and purged notes would stay on this device for good.
      await this.pages.apply(page, { advanceCheckpoint: !fullResync, now: this.now });
      for (const note of page) seen?.add(note.id);
      done += page.length;
      if (page.length) after = checkpointOf(page[page.length - 1]!);
      if (total !== undefined && total > this.pageNotes) await this.setStatus({ progress: { done: Math.min(done, total), total } });
    };
    // A first sync (or one that never finished, or a full resync) reads everything: the person's
    // newest notes first, so the board has them at once, and the rest in one download. Later
    // catch-ups are a few changes: page reads, with no function started for them.
    const firstSync = after === undefined || (await readSyncStatus(this.db))?.lastSyncedAt === undefined;
    if (firstSync) this.pages.prepare?.();
    const newest = firstSync ? this.storeNewestFirst() : undefined;
    const onTotal = async (count: number) => {
      if (total !== undefined) return;
      total = done + count;
      // The bar shows at once, before the first page is stored.
      if (total > this.pageNotes) await this.setStatus({ progress: { done, total } });
    };
    const downloaded = firstSync ? await this.download(() => after, onTotal, store) : 'incomplete';
    await newest;
    if (downloaded === 'stopped') return;
    if (downloaded === 'incomplete') {
      if (total === undefined && after === undefined) {
        const counted = await this.reads.read(() => this.remote.countAfter(undefined));
        if (!counted) return;
        total = counted.value;
      }
      for (;;) {
        // A stopped engine stores nothing more; the checkpoint says where the next start goes on.
        if (this.stopped) return;
        const read = await this.reads.read(() => this.remote.fetchPage(after, this.pageNotes));
        if (!read) return;
        await store(read.value);
        if (read.value.length < this.pageNotes) break;
      }
    }
    if (seen) await finishFullResync(this.db, seen, after);
    await this.setStatus({ progress: undefined, lastSyncedAt: this.now(), error: undefined });
  }

  /**
   * Stores the person's most recently changed notes ahead of everything else (the checkpoint stays:
   * they come again in order). Best effort: when it fails, they come with the rest.
   */
  private async storeNewestFirst(): Promise<void> {
    if (!this.remote.fetchNewest) return;
    try {
      // Never waited for past the read deadline: a stalled read of it must not hold the catch-up.
      const notes = await Promise.race([this.remote.fetchNewest(SYNC.NEWEST_FIRST_NOTES), this.sleep(this.readDeadlineMs).then(() => [])]);
      if (!this.stopped) await this.pages.apply(notes, { advanceCheckpoint: false, now: this.now });
    } catch {
      // The full read that follows brings them, or says what is wrong.
    }
  }

  /**
   * Stores the changes after the checkpoint from the server's streamed download, if it offers one.
   * A download that stalls or is cut short is asked again after the last page stored, a few times
   * in a row; then (or when the server has no download) the rest is left to the paged reads. A
   * refusal (signed out, device erased) is thrown, as a page read's would be.
   */
  private async download(
    after: () => Checkpoint | undefined,
    onTotal: (count: number) => Promise<void>,
    store: (page: RemoteNote[]) => Promise<void>,
  ): Promise<'complete' | 'incomplete' | 'stopped'> {
    const { remote } = this;
    if (!remote.download || this.downloadUnavailable) return 'incomplete';
    for (let failures = 0; ; ) {
      try {
        const parts = remote.download(after(), { pageNotes: this.downloadPageNotes, deadlineMs: this.readDeadlineMs, signal: this.stopSignal.signal });
        for await (const part of parts) {
          if (this.stopped) return 'stopped';
          if ('total' in part) {
            await onTotal(part.total);
            continue;
          }
          await store(part.notes);
          // Notes came again: the failures before no longer count as in a row.
          if (failures > 0) {
            failures = 0;
            await this.setStatus({ error: undefined });
          }
        }
        return this.stopped ? 'stopped' : 'complete';
      } catch (error) {
        if (this.stopped) return 'stopped';
        const code = errorCode(error);
        if (isRejection(error) || code === 'unauthenticated') throw error;
        // No download here (an older deployment, say): page by page from now on.
        if (code === 'not-found') {
          this.downloadUnavailable = true;
          return 'incomplete';
        }
        if (++failures >= SYNC.DOWNLOAD_ATTEMPTS) return 'incomplete';
        if (code === 'deadline-exceeded') await this.setStatus({ error: SYNC_TEXTS.failure.stalled });
      }
    }
  }

  // ---- Running ---------------------------------------------------------------------------------

  /** Runs until stop(): catches up, then listens and pushes, retrying failures with backoff. */
  async run(): Promise<void> {
    const unwatch = this.watchLocalChanges();
    try {
      await Promise.all([this.pullLoop(), this.pushLoop()]);
    } finally {
      unwatch();
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopSignal.abort();
    this.announceStop();
    this.endLive?.();
    this.wake?.();
  }

  /** Wakes the push loop now (say, the connection came back). */
  nudge(): void {
    this.workWaiting = true;
    this.wake?.();
  }

  /**
   * Wakes the push loop whenever the outbox changes. When watching fails, the status line says
   * so (the engine would not notice new edits) and the watch starts again after a backoff.
   */
  private watchLocalChanges(): () => void {
    let unwatch: () => void = () => undefined;
    let attempt = 0;
    const start = () => {
      unwatch = watchOutbox(
        this.db,
        () => {
          attempt = 0;
          this.nudge();
        },
        () => {
          void this.setStatus({ error: SYNC_TEXTS.failure.localWatch }).catch(() => undefined);
          // Edits made while not watching are in the outbox: one look now, and again after the restart.
          this.nudge();
          void this.backOff(attempt++).then(() => {
            if (!this.stopped) start();
          });
        },
      );
    };
    start();
    return () => unwatch();
  }

  private async pullLoop(): Promise<void> {
    for (let attempt = 0; !this.stopped; ) {
      try {
        await this.catchUp();
        attempt = 0;
        // Live until the listener or storing a snapshot fails; then catch up again from the checkpoint.
        const after = await readCheckpoint(this.db);
        if (this.stopped) break;
        await this.listenLive(after);
      } catch (error) {
        await this.setStatus({ error: describeFailure(error) });
      }
      await this.backOff(attempt++);
    }
  }

  /**
   * Stores the listener's snapshots as they come, in arrival order, until the listener fails,
   * storing one fails, or stop(). Snapshots that arrive while one is being stored wait and are
   * then stored together in one transaction: a burst of small snapshots (another device sending
   * its queue) must not become a backlog that is still being written long after it arrived.
   * Resolves only once nothing is being stored, so run() returns (and the tab lets go of the sync
   * lock) with no write of this engine still under way. Snapshots not stored by then are dropped:
   * the checkpoint has not passed them, so the next catch-up fetches them again.
   */
  private async listenLive(after: Checkpoint | undefined): Promise<void> {
    const received: RemoteNote[][] = [];
    let live = true;
    let endWait!: () => void;
    const ended = new Promise<void>((resolve) => (endWait = resolve));
    const end = () => {
      live = false;
      endWait();
    };
    // `storing` is cleared in the same step that finds nothing left, so a snapshot arriving just
    // after always starts the next round.
    let storing = false;
    let stored: Promise<void> = Promise.resolve();
    const store = async () => {
      try {
        while (live && !this.stopped && received.length > 0) {
          const notes = received.splice(0).flat();
          try {
            await this.pages.apply(notes, { advanceCheckpoint: true, now: this.now });
            await this.setStatus({ lastSyncedAt: this.now(), error: undefined });
          } catch (error) {
            // Never store a later snapshot past one that failed: its checkpoint would skip these
            // changes for good. Listen again from the checkpoint instead.
            end();
            await this.setStatus({ error: describeFailure(error) }).catch(() => undefined);
          }
        }
      } finally {
        storing = false;
      }
    };
    const storeReceived = () => {
      if (storing) return;
      storing = true;
      stored = store();
    };
    const unsubscribe = this.remote.listen(
      after,
      (notes) => {
        if (!live) return;
        received.push(notes);
        storeReceived();
      },
      (error) => {
        void this.setStatus({ error: describeFailure(error) }).catch(() => undefined);
        // Snapshots that came before the failure are sound: they are still stored, in order.
        storeReceived();
        void stored.then(end);
      },
    );
    // stop() ends the wait too: run() must return, or this tab would keep the sync lock.
    this.endLive = end;
    try {
      await ended;
    } finally {
      this.endLive = undefined;
      unsubscribe();
      await stored;
    }
  }

  private async pushLoop(): Promise<void> {
    for (let attempt = 0, unconfirmed = 0; !this.stopped; ) {
      try {
        this.workWaiting = false;
        const pushed = await this.pushOnce();
        attempt = 0;
        unconfirmed = 0;
        if (pushed > 0) {
          this.pushFailure = undefined;
          await this.setStatus({ lastSyncedAt: this.now(), error: undefined });
          continue;
        }
        if (!this.workWaiting && !this.stopped) await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      } catch (error) {
        this.pushFailure = error instanceof UnconfirmedRefusal ? SYNC_TEXTS.failure.unconfirmed : describeFailure(error);
        await this.setStatus({ error: this.pushFailure });
        // A new change, or the connection coming back (nudge()), ends the wait: the person's edit
        // is sent now rather than after a delay earned by earlier failures.
        this.workWaiting = false;
        const nudged = new Promise<void>((resolve) => (this.wake = resolve));
        if (error instanceof UnconfirmedRefusal) await this.backOff(unconfirmed++, 'unconfirmed-refusal', nudged);
        else await this.backOff(attempt++, 'failure', nudged);
        this.wake = undefined;
      }
    }
  }

  /** Waits before a retry; stop() ends the wait, so run() returns promptly and frees the sync lock. */
  private async backOff(attempt: number, after: RetryAfter = 'failure', cutShort?: Promise<void>): Promise<void> {
    if (!this.stopped) await Promise.race([this.sleep(this.retryDelayMs(attempt, after)), this.stopping, ...(cutShort ? [cutShort] : [])]);
  }

  /**
   * Records what the status line shows. Nothing after stop(): the notes database may be closing
   * (sign-out, another account) and a stopped engine has nothing more to say.
   */
  private async setStatus(change: Partial<SyncStatus>): Promise<void> {
    if (this.stopped) return;
    // Clearing the error leaves a push failure standing: only a push that succeeds clears it.
    const clearing = 'error' in change && change.error === undefined;
    await updateSyncStatus(this.db, clearing ? { ...change, error: this.pushFailure } : change);
  }
}

/**
 * A refusal not taken as the server's verdict yet: the change is neither set aside nor re-merged
 * further, but sent again soon (a round of refusals short of SYNC.REFUSAL_ROUNDS, or one given
 * while the server would not show its own copy of the note).
 */
export class UnconfirmedRefusal extends Error {
  readonly code: string;
  constructor(readonly refusal: unknown) {
    super(`The server refused a change, not yet for good: ${refusal instanceof Error ? refusal.message : String(refusal)}`);
    this.name = 'UnconfirmedRefusal';
    this.code = errorCode(refusal);
  }
}

/** The default wait before a retry: the attempt's delay, spread at random over its second half. */
function spreadRetryDelay(attempt: number, after: RetryAfter = 'failure'): number {
  const delays = after === 'failure' ? SYNC.RETRY_DELAYS_MS : SYNC.UNCONFIRMED_REFUSAL_DELAYS_MS;
  const delay = delays[Math.min(attempt, delays.length - 1)]!;
  return delay / 2 + Math.random() * (delay / 2);
}
