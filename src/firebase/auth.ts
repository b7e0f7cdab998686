/**
 * Firebase Auth, created lazily and once and connected to the emulator right after creation when
 * configured. Sessions persist in IndexedDB, so a reload (or the next visit) stays signed in.
 */
import type { Auth, AuthProvider, User } from 'firebase/auth';
import { APP } from '../constants.js';
import { errorCode } from '../shared/errors.js';
import { firebaseApp, forgetOnFailure } from './app.js';
import { EMULATOR_PORTS, firebaseSettings, type SignInMethod } from './config.js';
import { warmUpDownload } from '../sync/download-stream.js';
import { noteDownloadUrl } from './functions.js';

type AuthSdk = typeof import('firebase/auth');

let authPromise: Promise<{ auth: Auth; sdk: AuthSdk }> | undefined;

export function firebaseAuth(): Promise<{ auth: Auth; sdk: AuthSdk }> {
  authPromise ??= forgetOnFailure((async () => {
    const [app, sdk] = await Promise.all([firebaseApp(), import('firebase/auth')]);
    // No popupRedirectResolver here: with one, Auth loads Google's gapi iframe script up front on
    // mobile browsers, a third-party request for every visitor, guests included. The popup
    // functions below hand it over only when the person actually signs in.
    const auth = sdk.initializeAuth(app, {
      persistence: [sdk.indexedDBLocalPersistence, sdk.browserLocalPersistence],
    });
    const host = firebaseSettings?.emulatorHost;
    if (host) sdk.connectAuthEmulator(auth, `http://${host}:${EMULATOR_PORTS.auth}`, { disableWarnings: true });
    return { auth, sdk };
  })(), () => (authPromise = undefined));
  return authPromise;
}

export type PopupMethod = Exclude<SignInMethod, 'email'>;

const PROVIDER_IDS: Record<PopupMethod, string> = {
  google: 'google.com',
  microsoft: 'microsoft.com',
  facebook: 'facebook.com',
  twitter: 'twitter.com',
  github: 'github.com',
  apple: 'apple.com',
};


function provider(sdk: AuthSdk, method: PopupMethod): AuthProvider {
  switch (method) {
    case 'google':
      return new sdk.GoogleAuthProvider();
    case 'facebook':
      return new sdk.FacebookAuthProvider();
    case 'twitter':
      return new sdk.TwitterAuthProvider();
    case 'github':
      return new sdk.GithubAuthProvider();
    case 'microsoft':
    case 'apple': {
      const oauth = new sdk.OAuthProvider(PROVIDER_IDS[method]);
      oauth.addScope('email');
      return oauth;
    }
  }
}

/** The sign-in methods linked to a user, in the app's terms. */
export function linkedMethods(user: Pick<User, 'providerData'>): SignInMethod[] {
  const methods = user.providerData.map((info): SignInMethod | undefined => {
    if (info.providerId === 'password' || info.providerId === 'emailLink') return 'email';
    return (Object.keys(PROVIDER_IDS) as PopupMethod[]).find((method) => PROVIDER_IDS[method] === info.providerId);
  });
  return [...new Set(methods.filter((m): m is SignInMethod => m !== undefined))];
}

/**
 * Runs a popup sign-in and calls `onClosed` within SIGN_IN_WINDOW_POLL_MS of its window being
 * closed. Firebase reports a closed window only about 10 s later (it waits that long for a late
 * answer), which would keep the sign-in buttons locked; the sign-in itself keeps running, so a
 * late success still signs in. The window is the one Firebase opens with window.open, caught by
 * wrapping window.open until that first call.
 */
export async function watchingSignInWindow<T>(start: () => Promise<T>, onClosed: () => void): Promise<T> {
  const open = window.open;
  let popup: Window | null = null;
  const catching: typeof window.open = (...args) => {
    window.open = open;
    popup = open.apply(window, args);
    return popup;
  };
  window.open = catching;
  const poll = setInterval(() => {
    if (!popup?.closed) return;
    clearInterval(poll);
    onClosed();
  }, APP.SIGN_IN_WINDOW_POLL_MS);
  try {
    return await start();
  } finally {
    clearInterval(poll);
    // Only our own wrapper: a later sign-in may have put its own in place meanwhile.
    if (window.open === catching) window.open = open;
  }
}

/** A sign-in on a new device is followed by its first sync: it gets ready (its download function too) while the person signs in. */
function warmUpFirstSync(): void {
  if (firebaseSettings) warmUpDownload(noteDownloadUrl(firebaseSettings));
  void import('../sync/controller.js').then(({ prepareSync }) => prepareSync());
}

/** True for Firebase's word that a newer popup sign-in replaced this one: not a failure to show. */
export function isReplacedSignIn(error: unknown): boolean {
  return errorCode(error) === 'auth/cancelled-popup-request';
}

export async function signInWithMethod(method: PopupMethod): Promise<User> {
  warmUpFirstSync();
  const { auth, sdk } = await firebaseAuth();
  return (await sdk.signInWithPopup(auth, provider(sdk, method), sdk.browserPopupRedirectResolver)).user;
}

/** Adds another sign-in method to the signed-in account (single account, several ways in). */
export async function linkMethod(method: PopupMethod): Promise<User> {
  const { auth, sdk } = await firebaseAuth();
  if (!auth.currentUser) throw new Error('Sign in first, then link another sign-in method.');
  return (await sdk.linkWithPopup(auth.currentUser, provider(sdk, method), sdk.browserPopupRedirectResolver)).user;
}

/** Emails a sign-in link that brings the person back to this app. */
export async function sendEmailSignInLink(email: string): Promise<void> {
  const { auth, sdk } = await firebaseAuth();
  await sdk.sendSignInLinkToEmail(auth, email, { url: `${location.origin}/`, handleCodeInApp: true });
  // The link may be opened in this browser; remembering the address spares typing it again.
  localStorage.setItem(APP.EMAIL_FOR_SIGN_IN_KEY, email);
}

/**
 * Finishes an email-link sign-in. Without `email` it uses the address remembered when the link was
 * sent; returns undefined when it needs the person to type the address (link opened elsewhere).
 */
export async function completeEmailSignIn(url: string, email?: string): Promise<User | undefined> {
  const { auth, sdk } = await firebaseAuth();
  if (!sdk.isSignInWithEmailLink(auth, url)) throw new Error('This sign-in link is not valid.');
  const address = email ?? localStorage.getItem(APP.EMAIL_FOR_SIGN_IN_KEY);
  if (!address) return undefined;
  warmUpFirstSync();
  const { user } = await sdk.signInWithEmailLink(auth, address, url);
  localStorage.removeItem(APP.EMAIL_FOR_SIGN_IN_KEY);
  return user;
}

/**
 * Deletes the signed-in Firebase Auth user (the server then erases their data: the
 * onAccountDeleted function). Firebase asks for a recent sign-in first (auth/requires-recent-login):
 * then this signs in again with the account's first popup method and deletes. An account with
 * only an email link cannot do that in a popup: the error says to sign in again with a new link.
 */
export async function deleteSignedInUser(uid: string): Promise<void> {
  const { auth, sdk } = await firebaseAuth();
  const user = auth.currentUser;
  if (user?.uid !== uid) throw new Error('Someone else is signed in now: nothing was deleted.');
  try {
    await sdk.deleteUser(user);
    return;
  } catch (error) {
    if (errorCode(error) !== 'auth/requires-recent-login') throw error;
  }
  const method = linkedMethods(user).find((m): m is PopupMethod => m !== 'email');
  if (!method) throw new Error('For your safety, sign out, sign in again with a new email link, then delete your account within a few minutes.');
  await sdk.reauthenticateWithPopup(user, provider(sdk, method), sdk.browserPopupRedirectResolver);
  await sdk.deleteUser(user);
}

export async function signOutOfFirebase(): Promise<void> {
  const { auth, sdk } = await firebaseAuth();
  await sdk.signOut(auth);
}

export async function onUserChanged(listener: (user: User | null) => void): Promise<() => void> {
  const { auth, sdk } = await firebaseAuth();
  await auth.authStateReady();
  return sdk.onAuthStateChanged(auth, listener);
}

/** Words for a failed sign-in. A closed or blocked window is the common case, not a fault. */
export function describeAuthError(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'auth/popup-closed-by-user':
    case 'auth/cancelled-popup-request':
    case 'auth/user-cancelled':
      return 'The sign-in window was closed before sign-in finished. You can try again.';
    case 'auth/popup-blocked':
      return 'The browser blocked the sign-in window. Allow pop-ups for this site and try again.';
    case 'auth/network-request-failed':
      return 'Could not reach the sign-in service. Check your connection and try again.';
    case 'auth/account-exists-with-different-credential':
      return 'An account with this email already exists with another sign-in method. Sign in with that one, then link this one in your account.';
    case 'auth/credential-already-in-use':
      return 'That sign-in is already used by another account.';
    case 'auth/provider-already-linked':
      return 'That sign-in method is already linked to your account.';
    case 'auth/invalid-email':
      return 'That email address does not look right.';
    case 'auth/invalid-action-code':
    case 'auth/expired-action-code':
      return 'This sign-in link has expired or was already used. Ask for a new one.';
    case 'auth/operation-not-allowed':
      return 'This sign-in method is not enabled for this app.';
    default:
      return error instanceof Error && error.name === 'SyncNotConfiguredError'
        ? error.message
        : `Sign-in failed${code ? ` (${code})` : ''}. Please try again.`;
  }
}
