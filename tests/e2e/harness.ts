/**
 * What every browser test needs, on top of the shared browser support (testing/browser.ts, which
 * this re-exports): one Chromium per test file, devices checked for errors after each test, the
 * shared server's URL, switching a server between the builds global-setup.ts made, and reading
 * the app's IndexedDB from outside.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import {
  launchChromium,
  openApp,
  newDevice as newDeviceAt,
  newPersistentDevice as newPersistentDeviceAt,
  type Device,
} from '../../testing/browser.js';
import type { BuildName } from './global-setup.js';

export { launchChromium, openApp, readNotifications, waitForApp, waitForServiceWorker, type Device, type ShownNotification } from '../../testing/browser.js';

export { startStaticServer, type SwitchableServer as StaticServer } from './global-setup.js';

/** Base URL of the shared server that global-setup.ts started (serving the first build). */
export function appUrl(): string {
  return inject('appUrl');
}

/**
 * One Chromium for a test file: launched before its tests (after `before`, say a check that the
 * emulators run), closed after them. Returns the browser's getter.
 */
export function useChromium(before?: () => Promise<void>): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await before?.();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: call useChromium() at the top of the test file');
    return browser;
  };
}

/**
 * For tests with several devices each: push every device made into the returned list; after each
 * test, each must have logged no error, and all are closed.
 */
export function useDevices(): Device[] {
  const devices: Device[] = [];
  afterEach(async () => {
    for (const device of devices.splice(0)) {
      expect(device.errors).toEqual([]);
      await device.context.close();
    }
  });
  return devices;
}

/** A new device for each test, made on demand (useFreshDevice). */
export interface FreshDevice {
  /** A new device on the shared server's build, the app not yet opened (to route or script it first). */
  newDevice(options?: BrowserContextOptions): Promise<Device>;
  /** A new device with the app opened at `path`. */
  openApp(path?: string): Promise<Device>;
}

/**
 * For tests that use one device at a time in `browser`: after each test, the device made last must
 * have logged no error, and is closed. A test that makes a second device closes the first itself.
 */
export function useFreshDevice(browser: () => Browser): FreshDevice {
  let last: Device | undefined;
  afterEach(async () => {
    if (!last) return;
    const device = last;
    last = undefined;
    expect(device.errors).toEqual([]);
    await device.context.close();
  });
  const makeDevice = async (options: BrowserContextOptions = {}): Promise<Device> => {
    last = await newDevice(browser(), appUrl(), options);
    return last;
  };
  return {
    newDevice: makeDevice,
    async openApp(path = '/') {
      const device = await makeDevice();
      await openApp(device.page, path);
      return device;
    },
  };
}

/**
 * A new device (testing/browser.ts) on the shared server's build unless `baseUrl` says otherwise.
 * Relative URLs in page.goto resolve against it, and it is the origin granted notifications.
 */
export function newDevice(browser: Browser, baseUrl: string = appUrl(), options: BrowserContextOptions = {}): Promise<Device> {
  return newDeviceAt(browser, baseUrl, options);
}

/** Like newDevice, in a Chromium of its own with a profile on disk (testing/browser.ts). */
export function newPersistentDevice(baseUrl: string = appUrl()): Promise<Device> {
  return newPersistentDeviceAt(baseUrl);
}

async function serveBuild(build: BuildName, baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/__e2e/serve?root=${build}`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`switching to the ${build} build failed: ${response.status}`);
}

/**
 * Makes the server at `baseUrl` serve dist-next/ (build e2e-2). The shared server is seen by all
 * test files at once: switch on a server of your own (startStaticServer()).
 */
export function serveNextBuild(baseUrl: string = appUrl()): Promise<void> {
  return serveBuild('next', baseUrl);
}

/** Makes the server at `baseUrl` serve dist/ (build e2e-1) again. */
export function serveFirstBuild(baseUrl: string = appUrl()): Promise<void> {
  return serveBuild('first', baseUrl);
}

/**
 * Every record of `stores` in one of the page's IndexedDB databases, read with plain IndexedDB
 * beside the app: `database` names it, or 'account' means the signed-in account's notes database.
 */
export async function readStores(page: Page, database: string, stores: string[]): Promise<{ name: string; records: Record<string, unknown[]> }> {
  return page.evaluate(
    async ({ database, stores }) => {
      const name =
        database === 'account' ? (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.startsWith('roaming-notes-user-')) : database;
      if (!name) throw new Error('no account database');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const records: Record<string, unknown[]> = {};
      for (const store of stores) {
        records[store] = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      }
      db.close();
      return { name, records };
    },
    { database, stores },
  );
}
