/**
 * Registers the app's one service worker (sw/sw.ts) and carries out its update policy: a new
 * version installs in the background and waits; it takes over only when the person accepts it,
 * and then the page reloads once, under the new worker. Production builds only; workbox-window is
 * loaded here on demand so it stays out of the first-paint bundle.
 */

/** Timeouts of the update check. */
const PWA = {
  /** At most one update check per this long when the app comes back into view. */
  UPDATE_CHECK_MIN_INTERVAL_MS: 15 * 60 * 1000,
} as const;

/** A new version that is installed and waiting for the person's go-ahead. */
export interface PendingUpdate {
  /** Tells the waiting worker to take over; the page reloads once the new worker controls it. */
  apply(): void;
}

/**
 * Registers the worker and calls `onUpdateReady` each time a new version is waiting (also right
 * after registering, if one was already waiting from an earlier visit). Resolves to the
 * registration, or undefined in development and in browsers without service workers.
 */
export async function registerServiceWorker(
  onUpdateReady: (update: PendingUpdate) => void,
): Promise<ServiceWorkerRegistration | undefined> {
  document.documentElement.dataset.appVersion = __APP_VERSION__;
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return undefined;

  const { Workbox } = await import('workbox-window');
  const wb = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });

  let accepted = false;
  // 'controlling' also fires when another tab accepted an update; this tab then keeps running
  // the code it loaded and offers the reload through its own prompt.
  wb.addEventListener('controlling', () => {
    if (accepted) window.location.reload();
  });
  // Workbox fires 'waiting' for an update found by this page and for one found by another tab
  // (isExternal). It stops watching after the first external one (workbox-window Workbox.ts
  // _onUpdateFound), so a second deploy during one visit is offered on the next load instead.
  wb.addEventListener('waiting', () => {
    onUpdateReady({
      apply() {
        accepted = true;
        void navigator.serviceWorker.getRegistration().then((registration) => {
          // Nothing waiting any more means another tab already let it take over: just reload.
          if (registration?.waiting) wb.messageSkipWaiting();
          else window.location.reload();
        });
      },
    });
  });

  const registration = await wb.register();
  if (registration) watchForUpdates(registration);
  return registration;
}

/**
 * Browsers check for a new worker on navigation, but an installed app can stay open for days:
 * check again when it comes back into view, at most once per UPDATE_CHECK_MIN_INTERVAL_MS.
 */
function watchForUpdates(registration: ServiceWorkerRegistration): void {
  let lastCheck = Date.now();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || !navigator.onLine) return;
    if (Date.now() - lastCheck < PWA.UPDATE_CHECK_MIN_INTERVAL_MS) return;
    lastCheck = Date.now();
    // Fails while the server is unreachable; the next visible moment tries again.
    registration.update().catch(() => undefined);
  });
}
