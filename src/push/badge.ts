/**
 * The app badge (the count on the installed app's icon): open notes, from the page when the
 * board changes and from the service worker when a push arrives or a note is marked done.
 * Written against the navigator of either (Navigator or WorkerNavigator); a browser without the
 * Badging API, or one that refuses (not installed, no permission), is left as it is, silently.
 */
interface BadgingNavigator {
  setAppBadge?: (contents?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
}

/** Shows `count` on the app icon (clears it at 0). Resolves true when the browser took it. */
export async function showAppBadge(count: number, nav: BadgingNavigator = globalThis.navigator as BadgingNavigator): Promise<boolean> {
  if (typeof nav?.setAppBadge !== 'function') return false;
  try {
    if (count > 0) await nav.setAppBadge(count);
    else if (typeof nav.clearAppBadge === 'function') await nav.clearAppBadge();
    else await nav.setAppBadge(0);
    return true;
  } catch {
    return false;
  }
}

