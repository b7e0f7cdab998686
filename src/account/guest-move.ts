/**
 * Moving the guest's notes into an account, once across the tabs of this browser: a Web Lock
 * around the move, so two tabs signed in together never both run it, and a BroadcastChannel that
 * tells the other tabs it happened, so they recount and stop offering it.
 */
import { withWebLock } from '../platform/locks.js';

const MOVE_LOCK = 'roaming-notes-guest-move';
const CHANNEL = 'roaming-notes-guest-notes';
/** Tells this page's own announcements apart: a BroadcastChannel also reaches other channels of the same page. */
const THIS_PAGE = Math.random().toString(36).slice(2);

/** What a tab announces after moving guest notes (how many, into whose account). */
export interface GuestNotesMoved {
  uid: string;
  moved: number;
}

/** Runs `move` while no other tab of this origin runs it (plainly where Web Locks are missing). */
export function underGuestMoveLock<T>(move: () => Promise<T>): Promise<T> {
  return withWebLock(MOVE_LOCK, move);
}

export function announceGuestNotesMoved(message: GuestNotesMoved): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ ...message, from: THIS_PAGE });
  channel.close();
}

/** Calls `listener` each time another tab moved guest notes; returns the unsubscribe. */
export function onGuestNotesMoved(listener: (message: GuestNotesMoved) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<GuestNotesMoved & { from: string }>) => {
    const { from, ...message } = event.data;
    if (from !== THIS_PAGE) listener(message);
  };
  return () => channel.close();
}
