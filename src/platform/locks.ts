/**
 * Web Locks, in one guarded place. The app holds a lock where one tab of the browser must act
 * alone: the tab that syncs an account (src/sync/controller.ts) and the tab that moves the guest's
 * notes into an account (src/account/guest-move.ts). A browser without Web Locks (Safari before
 * 15.4, some embedded web views) runs the work at once instead: then every open tab syncs, which
 * costs requests but loses nothing (an outbox entry sent twice is written twice, harmlessly), and
 * a guest move that two tabs start together moves the same notes under the same ids.
 */

/** The part of LockManager the app uses. */
export interface LockRequester {
  request<T>(name: string, options: { signal?: AbortSignal }, callback: () => Promise<T>): Promise<T>;
}

/** The browser's LockManager, or undefined where there is none. */
export function webLocks(nav: { locks?: LockRequester } | undefined = globalThis.navigator as { locks?: LockRequester } | undefined): LockRequester | undefined {
  return nav && typeof nav.locks?.request === 'function' ? nav.locks : undefined;
}

/**
 * Runs `work` holding the exclusive lock `name` (waiting for it while another tab holds it);
 * `signal` gives up the wait. Without Web Locks, runs `work` at once.
 */
export function withWebLock<T>(name: string, work: () => Promise<T>, options: { signal?: AbortSignal } = {}, locks: LockRequester | undefined = webLocks()): Promise<T> {
  if (!locks) return work();
  return locks.request(name, options, work);
}
