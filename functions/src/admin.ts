/** The Admin SDK app and Firestore, created once (the functions and the emulator tests share it). */
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';

let app: App | undefined;

/** In Cloud Functions the project comes from the environment; tests pass the demo project id. */
export function adminApp(projectId?: string): App {
  app ??= getApps()[0] ?? initializeApp(projectId ? { projectId } : undefined);
  return app;
}

export function adminFirestore(projectId?: string): Firestore {
  return getFirestore(adminApp(projectId));
}
