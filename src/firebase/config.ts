/**
 * Firebase configuration from Vite's VITE_* variables, parsed once. Without a project id and API
 * key (env.ts) the app is local-only ("sync is not set up"): nothing Firebase is ever loaded.
 */
import type { FirebaseOptions } from 'firebase/app';
import { envText as text, type Env } from './env.js';

/** Sign-in methods the app knows, in the order they are offered by default. */
export const SIGN_IN_METHODS = ['google', 'microsoft', 'facebook', 'twitter', 'github', 'apple', 'email'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

export const SIGN_IN_METHOD_LABELS: Record<SignInMethod, string> = {
  google: 'Google',
  microsoft: 'Microsoft',
  facebook: 'Facebook',
  twitter: 'X (Twitter)',
  github: 'GitHub',
  apple: 'Apple',
  email: 'Email link',
};

export interface FirebaseSettings {
  options: FirebaseOptions;
  /** Connect to the local emulator suite (ports fixed in firebase.json). */
  emulatorHost: string | undefined;
  signInMethods: SignInMethod[];
  vapidKey: string | undefined;
}

export const EMULATOR_PORTS = { auth: 9099, firestore: 8080, functions: 5001 } as const;

/** Reads the settings; unknown sign-in method names are dropped with a console warning. */
export function readFirebaseSettings(env: Env): FirebaseSettings | undefined {
  const projectId = text(env, 'VITE_FIREBASE_PROJECT_ID');
  const apiKey = text(env, 'VITE_FIREBASE_API_KEY');
  if (!projectId || !apiKey) return undefined;
  const requested = (text(env, 'VITE_AUTH_PROVIDERS') ?? SIGN_IN_METHODS.join(','))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const known = requested.filter((name): name is SignInMethod => (SIGN_IN_METHODS as readonly string[]).includes(name));
  const unknown = requested.filter((name) => !known.includes(name as SignInMethod));
  if (unknown.length > 0) console.warn(`VITE_AUTH_PROVIDERS: ignoring unknown sign-in methods: ${unknown.join(', ')}`);
  const useEmulators = text(env, 'VITE_FIREBASE_USE_EMULATORS') === 'true';
  return {
    options: {
      apiKey,
      projectId,
      authDomain: text(env, 'VITE_FIREBASE_AUTH_DOMAIN') ?? `${projectId}.firebaseapp.com`,
      appId: text(env, 'VITE_FIREBASE_APP_ID'),
      messagingSenderId: text(env, 'VITE_FIREBASE_MESSAGING_SENDER_ID'),
    },
    emulatorHost: useEmulators ? (text(env, 'VITE_FIREBASE_EMULATOR_HOST') ?? '127.0.0.1') : undefined,
    signInMethods: [...new Set(known)],
    vapidKey: text(env, 'VITE_FIREBASE_VAPID_KEY'),
  };
}

export const firebaseSettings: FirebaseSettings | undefined = readFirebaseSettings(import.meta.env);
