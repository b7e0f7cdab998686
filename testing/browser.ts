/**
 * Driving the app in a browser, for the browser tests and the benchmarks alike: Debian Chromium
 * through playwright-core with flags that keep it off the network, a fresh "device" (browser
 * context) that records console and page errors, the app opened and rendered, and its service
 * worker in control. Nothing here depends on the test runner.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
  } catch {
    return '/usr/bin/chromium';
  }
}

/** Headless Chromium that never reaches for the network on its own. */
export const LAUNCH_OPTIONS = {
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), ...LAUNCH_OPTIONS });
}

export interface Device {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, in order; tests assert it stays empty. */
  errors: string[];
}

/**
 * A new browser context (its own storage and service workers) with one page. Relative URLs in
 * page.goto resolve against `baseUrl`, which is also the origin granted notifications; `options`
 * make it another kind of device (a phone's user agent and screen, say).
 */
export async function newDevice(browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<Device> {
  return watch(await browser.newContext({ ...options, baseURL: baseUrl }), baseUrl);
}

/**
 * Like newDevice, but in a Chromium of its own with a profile on disk: contexts of
 * launchChromium() are off the record, and Chromium never offers to install an app from those
 * (installability error "in-incognito"). Closing the context ends that Chromium and its profile.
 */
export async function newPersistentDevice(baseUrl: string): Promise<Device> {
  const profile = await mkdtemp(join(tmpdir(), 'rn-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), ...LAUNCH_OPTIONS, baseURL: baseUrl });
  // Chromium may still be writing the profile as the context reports closed: retry, then leave it.
  context.on('close', () => void rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(() => undefined));
  return watch(context, baseUrl);
}

/**
 * Chromium reports a thrown value that is not an Error only by its constructor's name, which in a
 * minified bundle is one letter. This names its constructor's source and fields instead, so a
 * failing run says what was thrown.
 */
function describeNonErrorThrows() {
  const describe = (value: unknown) => {
    if (value instanceof Error || typeof value !== 'object' || value === null) return undefined;
    let fields = '';
    try {
      fields = JSON.stringify(value, (key, inner: unknown) => (key && typeof inner === 'object' && inner !== null ? '[object]' : inner));
    } catch {
      fields = '[unserializable]';
    }
    return `non-Error thrown: ${String(value.constructor).slice(0, 300)} ${fields.slice(0, 300)}`;
  };
  addEventListener('error', (event) => {
    const description = describe(event.error);
    if (description) console.error(description);
  });
  addEventListener('unhandledrejection', (event) => {
    const description = describe(event.reason);
    if (description) console.error(`(in promise) ${description}`);
  });
}

async function watch(context: BrowserContext, baseUrl: string): Promise<Device> {
  await context.grantPermissions(['notifications'], { origin: new URL(baseUrl).origin });
  await context.addInitScript(describeNonErrorThrows);
  await context.addInitScript(trackNotificationShows);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  watchPage(page, errors);
  return { context, page, errors };
}

/**
 * Chromium drops the record of a notification whose display is still under way when a
 * getNotifications() call begins (it takes it for one closed meanwhile): every later read then
 * misses a notification that is shown. The page's own showNotification calls are therefore
 * tracked (still made as they were), and readNotifications waits for those in flight.
 */
function trackNotificationShows() {
  if (typeof ServiceWorkerRegistration === 'undefined') return;
  const inFlight = new Set<Promise<void>>();
  (window as unknown as { __notificationShowsInFlight: Set<Promise<void>> }).__notificationShowsInFlight = inFlight;
  const show = ServiceWorkerRegistration.prototype.showNotification;
  ServiceWorkerRegistration.prototype.showNotification = function (this: ServiceWorkerRegistration, ...args: Parameters<typeof show>) {
    const showing = show.apply(this, args);
    inFlight.add(showing);
    showing.then(
      () => inFlight.delete(showing),
      () => inFlight.delete(showing),
    );
    return showing;
  };
}

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  actions: { action: string; title: string }[];
  data: unknown;
}

/**
 * The notifications the app's service worker registration shows now, read once the page's
 * notifications in flight are on display (trackNotificationShows). A notification the worker is
 * showing (a push) must be waited for by the caller before reading.
 */
export function readNotifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(async () => {
    const inFlight = (window as unknown as { __notificationShowsInFlight?: Set<Promise<void>> }).__notificationShowsInFlight;
    await Promise.allSettled([...(inFlight ?? [])]);
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((notification) => ({
      title: notification.title,
      body: notification.body,
      tag: notification.tag,
      actions: ((notification as unknown as { actions?: { action: string; title: string }[] }).actions ?? []).map(({ action, title }) => ({ action, title })),
      data: notification.data as unknown,
    }));
  });
}

/** Collects what `page` logs as errors into `errors` (a device's next window uses it too). */
export function watchPage(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The location names the failing resource for "Failed to load resource" messages.
    const url = message.location().url;
    // When a Firestore stream ends (a listener closed at sign-out, or the write stream reset after
    // the server refused a write), the SDK ends its WebChannel with a TYPE=terminate request, which
    // the emulator may answer 400 once the stream is already gone. That is the transport's
    // goodbye, not a failure of the app.
    if (/\/(Listen|Write)\/channel\?.*[?&]TYPE=terminate(&|$)/.test(url)) return;
    // After a Firestore channel fails with a network error, its WebChannel transport checks the
    // connection by loading an image from www.google.com (hard-coded in the SDK's dependency:
    // firebase-js-sdk issue 6777). These machines have no route there; the probe's outcome only
    // feeds the SDK's own statistics, so its failure is the network's, not the app's.
    if (/^https:\/\/www\.google\.com\/images\/cleardot\.gif\?/.test(url)) return;
    // Two devices merging one label at once (a transaction: src/sync/firestore-labels.ts): the
    // server answers the later commit 409 (ABORTED, the label changed under it) and the SDK runs
    // the transaction again. Optimistic concurrency, not a failure; one that still fails after
    // the SDK's retries reaches the app's status line and the tests' checks of the label.
    if (/\/documents:commit\?/.test(url) && message.text().includes('status of 409 (Conflict)')) return;
    // Chromium logs each request refused while a context is offline: the network, not the app.
    if (message.text().includes('net::ERR_INTERNET_DISCONNECTED')) return;
    // Firestore logs this when its first stream fails before it ever connected (a test taking the
    // device offline just after sign-in, while sync starts). The app says so in its status line,
    // which the tests check where it matters; a stream that never connects fails them anyway.
    if (/Could not reach Cloud Firestore backend\. Connection failed \d+ times?\./.test(message.text())) return;
    errors.push(`console: ${message.text()} (${url})`);
  });
  // The stack's first frames say where a minified bundle threw; the message alone may be one letter.
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message} ${(error.stack ?? '').split('\n').slice(1, 4).join(' | ')}`.trim()));
}

/** Navigates to `path` (relative to the device's base URL) and waits for the app to render. */
export async function openApp(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await waitForApp(page);
}

/** Waits until <notes-app> is defined and has rendered (after a reload or an in-app navigation). */
export async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const app = document.querySelector('notes-app') as (Element & { hasUpdated?: boolean }) | null;
    return customElements.get('notes-app') !== undefined && app?.hasUpdated === true;
  });
}

/**
 * Waits until the service worker controls the page. The worker does not claim the page that
 * installed it (no clients.claim()), so on a first visit this waits for activation and reloads.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async (timeoutMs) => {
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`no active service worker after ${timeoutMs} ms`)), timeoutMs),
    );
    await Promise.race([navigator.serviceWorker.ready, timeout]);
  }, 30_000);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
    await waitForApp(page);
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
}
