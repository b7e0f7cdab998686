/**
 * The app as an installable, offline-first PWA in real Chromium: installability, an offline
 * start from the precache, and the update flow (a new version waits until the person accepts).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  newDevice,
  newPersistentDevice,
  openApp,
  serveNextBuild,
  startStaticServer,
  waitForApp,
  waitForServiceWorker,
  type Device,
  type StaticServer,
} from './harness.js';

let browser: Browser;
let device: Device | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await device?.context.close();
  device = undefined;
});

/** The build the page runs, as src/pwa/register.ts exposes it once it has run. */
async function appVersion(page: Page): Promise<string> {
  const handle = await page.waitForFunction(() => document.documentElement.dataset.appVersion);
  return (await handle.jsonValue()) as string;
}

/**
 * Marks, in every page of the device, the moment the app's service worker registration resolves
 * (navigator.serviceWorker.register, which src/pwa/register.ts calls through workbox-window).
 */
async function recordRegistrations(device: Device): Promise<void> {
  await device.context.addInitScript(() => {
    const container = ServiceWorkerContainer.prototype;
    const register = container.register;
    container.register = function (this: ServiceWorkerContainer, ...args: Parameters<typeof register>) {
      const registered = register.apply(this, args);
      void registered.then(() => ((window as unknown as { __e2eRegistered?: boolean }).__e2eRegistered = true));
      return registered;
    };
  });
}

/**
 * Waits until the page's registration has resolved and the app has acted on it: a version found
 * waiting at registration is offered in a microtask after it (workbox-window's register()), so
 * once a task has run after the mark, the prompt shows whatever it will show.
 */
async function registrationSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __e2eRegistered?: boolean }).__e2eRegistered === true);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

describe('installable and offline', () => {
  it('passes Chromium installability checks once the worker controls the page', async () => {
    device = await newPersistentDevice();
    await openApp(device.page);
    await waitForServiceWorker(device.page);

    const cdp = await device.context.newCDPSession(device.page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const { errors: manifestErrors } = await cdp.send('Page.getAppManifest', {});
    expect(manifestErrors).toEqual([]);
    expect(device.errors).toEqual([]);
  });

  it('starts with no network, deep links included, from the precache', async () => {
    device = await newDevice(browser);
    const { page, context } = device;
    await openApp(page);
    await waitForServiceWorker(page);
    await context.setOffline(true);

    const reload = await page.reload();
    expect(reload?.fromServiceWorker()).toBe(true);
    await waitForApp(page);
    await page.getByRole('heading', { name: 'Roaming Notes' }).waitFor();

    // The manifest's shortcut URL: a navigation the worker answers with the precached shell.
    const shortcut = await page.goto('/?action=new-note');
    expect(shortcut?.fromServiceWorker()).toBe(true);
    await waitForApp(page);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(device.errors).toEqual([]);
  });
});

describe('updates', () => {
  // Its own server: switching builds must not change what other test files see.
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('offers a new version and switches to it only when the person clicks Reload', async () => {
    device = await newDevice(browser, server.url);
    await recordRegistrations(device);
    const { page } = device;
    const prompt = page.locator('update-prompt');
    const reloadButton = prompt.getByRole('button', { name: 'Reload' });

    await openApp(page);
    await waitForServiceWorker(page);
    expect(await appVersion(page)).toBe('e2e-1');
    expect(await prompt.getByText('New version available').count()).toBe(0);

    await serveNextBuild(server.url);
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await prompt.getByText('New version available').waitFor();
    await reloadButton.waitFor();

    // Installed and waiting, while the old worker keeps control and the page the old build.
    const workers = () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return {
          waiting: registration?.waiting?.state ?? null,
          installing: registration?.installing?.state ?? null,
          controllerIsActive: navigator.serviceWorker.controller === registration?.active,
        };
      });
    expect(await workers()).toEqual({ waiting: 'installed', installing: null, controllerIsActive: true });
    expect(await appVersion(page)).toBe('e2e-1');

    // A plain reload does not let it take over either; the prompt comes back.
    await page.reload();
    await waitForApp(page);
    expect(await appVersion(page)).toBe('e2e-1');
    expect(await workers()).toEqual({ waiting: 'installed', installing: null, controllerIsActive: true });
    await reloadButton.waitFor();

    // "Later" only hides the prompt.
    await prompt.getByRole('button', { name: 'Later' }).click();
    await reloadButton.waitFor({ state: 'detached' });
    expect(await workers()).toEqual({ waiting: 'installed', installing: null, controllerIsActive: true });
    await page.reload();
    await waitForApp(page);
    await reloadButton.waitFor();

    // Accepted: the new worker takes over and the page reloads once, now running build e2e-2.
    const reloaded = page.waitForEvent('load');
    await reloadButton.click();
    await reloaded;
    await waitForApp(page);
    expect(await appVersion(page)).toBe('e2e-2');
    // Nothing waits or installs, and once the new page's registration has settled (the moment a
    // waiting version would be offered), no prompt came back.
    await registrationSettled(page);
    expect(await workers()).toEqual({ waiting: null, installing: null, controllerIsActive: true });
    expect(await prompt.getByText('New version available').count()).toBe(0);
    expect(device.errors).toEqual([]);
  });
});
