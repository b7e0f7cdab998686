/**
 * Whether push can have the app's service worker here, decided at once: the Vite dev server
 * (`npm start`) runs no worker, so turning notifications on there says why and how to try push
 * instead of waiting; elsewhere a worker that never becomes ready ends in a message within
 * SERVICE_WORKER_READY_TIMEOUT_MS.
 */
import { APP } from '../constants.js';

/** Where the production build is served by the emulator suite's Hosting emulator (firebase.json). */
export const HOSTING_EMULATOR_URL = 'http://127.0.0.1:5000';

export const WORKER_MESSAGES = {
  devServer:
    'Notifications need the app’s service worker, which the development server (npm start) does not run. ' +
    `To try push, run npm run build:emulator while npm start runs, then open ${HOSTING_EMULATOR_URL} (the Hosting emulator).`,
  notReady:
    'Notifications need the app’s service worker, and it did not start. Reload the page and try again; ' +
    'a private window or a browser setting that blocks site data can keep it from starting.',
} as const;

/** Why the service worker cannot be had in this copy of the app, or undefined when it can. */
export function workerUnavailableReason(build: { devServer: boolean }): string | undefined {
  return build.devServer ? WORKER_MESSAGES.devServer : undefined;
}

/** The longest wait for a worker that is installing: slow under load, but on its way. */
export const WORKER_INSTALLING_TIMEOUT_MS = 30_000;

/**
 * The app's worker once it is ready. With none on its way after SERVICE_WORKER_READY_TIMEOUT_MS
 * (never registered, or refused by the browser) it rejects with a message; one still installing
 * gets up to WORKER_INSTALLING_TIMEOUT_MS.
 */
export async function readyWorker(container: ServiceWorkerContainer, timeoutMs: number = APP.SERVICE_WORKER_READY_TIMEOUT_MS): Promise<ServiceWorkerRegistration> {
  const ready = container.ready;
  try {
    return await workerWithin(ready, timeoutMs);
  } catch (error) {
    const registration = await container.getRegistration();
    if (registration?.installing || registration?.waiting) return workerWithin(ready, WORKER_INSTALLING_TIMEOUT_MS);
    throw error;
  }
}

/** `ready` (navigator.serviceWorker.ready), or a rejection saying so when it takes longer than `timeoutMs`. */
export function workerWithin<T>(ready: Promise<T>, timeoutMs: number = APP.SERVICE_WORKER_READY_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(WORKER_MESSAGES.notReady)), timeoutMs);
  });
  return Promise.race([ready, late]).finally(() => clearTimeout(timer));
}
