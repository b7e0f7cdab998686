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
  // Fires on every controller change; only the one the person asked for reloads this page. When
  // another tab accepted an update, this one keeps running what it loaded until its own Reload.
  wb.addEventListener('controlling', () => {
    if (accepted) window.location.reload();
  });

  const update: PendingUpdate = {
    apply() {
      accepted = true;
      void navigator.serviceWorker.getRegistration().then((registration) => {
        // Without a waiting worker (another tab let it take over) or a controller (this page
        // loaded from the network) there is no controller change to wait for: just reload.
        if (registration?.waiting && navigator.serviceWorker.controller) wb.messageSkipWaiting();
        else window.location.reload();
      });
    },
  };
  const offered = new WeakSet<ServiceWorker>();
  const offer = (worker: ServiceWorker | null | undefined) => {
    if (!worker || offered.has(worker)) return;
    offered.add(worker);
    onUpdateReady(update);
  };

  // A version installed by this page's checks, by another tab, or on an earlier visit.
  wb.addEventListener('waiting', (event) => offer(event.sw));
  const registration = await wb.register();
  if (!registration) return undefined;

  // Workbox does not see an update that was already installing when register() resolved (the
  // browser checks on navigation, before this runs), and it stops listening after the first
  // update found by another tab (workbox-window Workbox.ts _onUpdateFound). Watch those here;
  // `offer` ignores a worker it has already offered.
  const watchInstalling = () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      // An active worker means this is an update; on a first install nothing waits.
      if (worker.state === 'installed' && registration.waiting === worker && registration.active) offer(worker);
    });
  };
  watchInstalling();
  registration.addEventListener('updatefound', watchInstalling);
  watchForUpdates(registration);
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
