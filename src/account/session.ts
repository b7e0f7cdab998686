/**
 * Who is using the app on this device: the guest (no account, the default) or a signed-in
 * account. The last account is remembered in small settings so the right notes database opens
 * at once on the next start, before Firebase has loaded; Firebase Auth then confirms or corrects it.
 * That record is also how the app knows a session may be waiting: with none (a guest who never
 * signed in here, or signed out) Firebase is not loaded until the person opens sign-in or another
 * tab signs in (announced on a BroadcastChannel, see onSignInElsewhere).
 */
import { takeStartSetting } from '../platform/start-reads.js';
import { APP } from '../constants.js';
import type { SignInMethod } from '../firebase/config.js';
import { hasFirebaseProject } from '../firebase/env.js';

export interface AccountSummary {
  uid: string;
  email: string | null;
  displayName: string | null;
  methods: SignInMethod[];
}

export type AccountState = { kind: 'guest' } | { kind: 'account'; account: AccountSummary };

/** Why the state changed: a fresh sign-in is the moment to offer moving guest notes over. */
export type AccountChangeReason = 'restored' | 'signed-in' | 'signed-out' | 'updated';

export interface AccountChange {
  state: AccountState;
  /** Who it was before this change. */
  previous: AccountState;
  reason: AccountChangeReason;
}

/** The uid of the account whose notes are open, or undefined for the guest. */
export function accountUid(state: AccountState): string | undefined {
  return state.kind === 'account' ? state.account.uid : undefined;
}

export const syncConfigured = hasFirebaseProject(import.meta.env);

/** The settings store, loaded on first use: a start reads the last account without it (start-reads.ts). */
const keyval = () => import('../platform/keyval.js');

type Listener = (change: AccountChange) => void;

/** The one holder of the current account on this page; everything else reads `state` from here. */
export class AccountSession {
  private current: AccountState = { kind: 'guest' };
  private readonly listeners = new Set<Listener>();
  private authStarted = false;

  get state(): AccountState {
    return this.current;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The account this device used last, without loading Firebase. */
  async restore(): Promise<AccountState> {
    if (!syncConfigured) return this.state;
    try {
      const early = await takeStartSetting('lastAccount');
      const saved = (early ? early.value : await (await keyval()).get(APP.LAST_ACCOUNT_KEY)) as AccountSummary | undefined;
      if (saved?.uid) this.current = { kind: 'account', account: saved };
    } catch {
      // Unreadable settings: start as guest; Firebase Auth restores the session shortly.
    }
    return this.state;
  }

  /**
   * Loads Firebase Auth (after first paint) and follows its session from then on. Rejects when
   * Firebase cannot be loaded; calling it again then tries again.
   */
  async watchAuth(): Promise<void> {
    if (!syncConfigured || this.authStarted) return;
    this.authStarted = true;
    try {
      await this.followAuth();
    } catch (error) {
      this.authStarted = false;
      throw error;
    }
  }

  private async followAuth(): Promise<void> {
    const { onUserChanged, linkedMethods } = await import('../firebase/auth.js');
    await onUserChanged((user) => {
      if (!user) {
        if (this.state.kind === 'account') void this.apply({ kind: 'guest' }, 'signed-out');
        return;
      }
      const account: AccountSummary = {
        uid: user.uid,
        email: user.email,
        displayName: user.displayName,
        methods: linkedMethods(user),
      };
      const previous = this.state;
      const reason: AccountChangeReason =
        previous.kind === 'account' && previous.account.uid === user.uid ? 'updated' : 'signed-in';
      void this.apply({ kind: 'account', account }, reason);
    });
  }

  /** Records a change made through Auth directly (say, linking a method) without waiting for the listener. */
  async apply(state: AccountState, reason: AccountChangeReason): Promise<void> {
    const previous = this.current;
    this.current = state;
    try {
      const { del, set } = await keyval();
      if (state.kind === 'account') await set(APP.LAST_ACCOUNT_KEY, state.account);
      else await del(APP.LAST_ACCOUNT_KEY);
    } catch {
      // Only the next start's first guess depends on this; Auth corrects it.
    }
    if (reason === 'signed-in') announceSignIn();
    for (const listener of this.listeners) listener({ state, previous, reason });
  }
}

/** Tells this page's own announcements apart: a BroadcastChannel also reaches other channels of the same page. */
const THIS_PAGE = Math.random().toString(36).slice(2);

/** Tells the other tabs of this origin that an account signed in here (see onSignInElsewhere). */
function announceSignIn(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(APP.SIGN_IN_CHANNEL_NAME);
  channel.postMessage({ from: THIS_PAGE });
  channel.close();
}

/**
 * Calls `listener` each time another tab of this origin signs an account in; returns the
 * unsubscribe. A guest tab that has not loaded Firebase Auth hears of the new session only this
 * way: Auth's own cross-tab sync runs only in tabs where Auth is loaded.
 */
export function onSignInElsewhere(listener: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(APP.SIGN_IN_CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent<{ from?: string }>) => {
    if (event.data.from !== THIS_PAGE) listener();
  };
  return () => channel.close();
}
