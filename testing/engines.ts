/**
 * The three browser engines the app is tested in, behind one small interface (Tab, in
 * testing/engine-page.ts): Chromium through playwright-core (as testing/browser.ts drives it),
 * Firefox ESR through puppeteer-core over WebDriver BiDi, and WebKitGTK's MiniBrowser through
 * WebKitWebDriver (plain W3C WebDriver over HTTP, spoken here with fetch) under an Xvfb display
 * started for it when there is none. A device is a fresh profile: a browser context in Chromium
 * and Firefox, a new WebDriver session (its own MiniBrowser) in WebKit. Steps only one engine's
 * protocol can take (CDP: push delivery, a renderer crash, quota) stay in the Chromium-only tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page as PlaywrightPage } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser, type Page as PuppeteerPage } from 'puppeteer-core';
import { launchChromium, newDevice as newChromiumDevice, watchPage } from './browser.js';
import { EnginePage, type Tab } from './engine-page.js';
import { freePort } from './free-port.js';
import { startNetworkSwitch } from './network-switch.js';

export const ENGINES = ['chromium', 'firefox', 'webkit'] as const;
export type EngineName = (typeof ENGINES)[number];

/** The engines to test in: BROWSERS=firefox,webkit picks some; all three by default. */
export function enginesUnderTest(env = process.env.BROWSERS): EngineName[] {
  if (!env?.trim()) return [...ENGINES];
  const asked = env.split(',').map((name) => name.trim().toLowerCase());
  const unknown = asked.filter((name) => !(ENGINES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`BROWSERS names ${unknown.join(', ')}: the engines are ${ENGINES.join(', ')}`);
  return ENGINES.filter((name) => asked.includes(name));
}

/** One profile with one page, and what its page logged as errors. */
export interface EngineDevice {
  /** The profile's one window (a new one after reopenWindow). */
  page: EnginePage;
  /** Console errors and uncaught errors so far (WebKit: those after each page finished loading). */
  errors(): Promise<string[]>;
  close(): Promise<void>;
  /**
   * Cuts the profile off the network, or puts it back: Chromium through CDP, Firefox through
   * WebDriver BiDi, WebKitGTK through a proxy of its own that drops every connection
   * (testing/network-switch.ts), W3C WebDriver having no network command.
   */
  setOffline(offline: boolean): Promise<void>;
  /**
   * Closes the window and opens a new one in the same profile (its storage kept), at about:blank:
   * `page` is the new window's afterwards.
   */
  reopenWindow(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  newDevice(baseUrl: string): Promise<EngineDevice>;
  close(): Promise<void>;
}

/** The window every engine's page gets, so layouts match across engines. */
const VIEWPORT = { width: 1280, height: 800 };

export function launchEngine(name: EngineName): Promise<Engine> {
  if (name === 'chromium') return launchChromiumEngine();
  if (name === 'firefox') return launchFirefox();
  return launchWebKit();
}

/** Splits 'Shift+Enter' into ['Shift', 'Enter'] ('+' alone is the plus key). */
const chord = (key: string) => (key === '+' ? ['+'] : key.split('+'));

// --- Chromium (playwright-core) ---------------------------------------------------------------

function playwrightTab(page: PlaywrightPage): Tab {
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: (expression) => page.evaluate(expression),
    clickAt: (x, y) => page.mouse.click(x, y),
    press: (key) => page.keyboard.press(key),
    type: (text) => page.keyboard.type(text),
    screenshot: () => page.screenshot(),
  };
}

async function launchChromiumEngine(): Promise<Engine> {
  const browser = await launchChromium();
  return {
    name: 'chromium',
    newDevice: async (baseUrl) => {
      const device = await newChromiumDevice(browser, baseUrl, { viewport: VIEWPORT });
      const errors = device.errors;
      const engineDevice: EngineDevice = {
        page: new EnginePage(playwrightTab(device.page), baseUrl),
        errors: async () => [...errors],
        close: () => device.context.close(),
        setOffline: (offline) => device.context.setOffline(offline),
        reopenWindow: async () => {
          await device.page.close();
          const page = await device.context.newPage();
          watchPage(page, errors);
          engineDevice.page = new EnginePage(playwrightTab(page), baseUrl);
        },
      };
      return engineDevice;
    },
    close: () => browser.close(),
  };
}

// --- Firefox (puppeteer-core over WebDriver BiDi) ---------------------------------------------

export function firefoxPath(): string {
  return process.env.FIREFOX_PATH ?? ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path) => existsSync(path)) ?? 'firefox-esr';
}

function puppeteerTab(page: PuppeteerPage): Tab {
  return {
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    evaluate: (expression) => page.evaluate(expression) as Promise<never>,
    clickAt: (x, y) => page.mouse.click(x, y),
    press: async (key) => {
      const keys = chord(key) as Parameters<PuppeteerPage['keyboard']['press']>[0][];
      for (const held of keys.slice(0, -1)) await page.keyboard.down(held);
      await page.keyboard.press(keys[keys.length - 1]);
      for (const held of keys.slice(0, -1).reverse()) await page.keyboard.up(held);
    },
    type: (text) => page.keyboard.type(text),
    screenshot: async () => Buffer.from(await page.screenshot()),
  };
}

const NO_RESPONSE_IN_FIREFOX = /^Cross-Origin Request Blocked: .*\(Reason: CORS request did not succeed\)\. Status code: \(null\)\.$/;

async function launchFirefox(): Promise<Engine> {
  const browser: PuppeteerBrowser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    defaultViewport: VIEWPORT,
    // Keep it off the network on its own, as the Chromium flags do.
    extraPrefsFirefox: { 'app.update.enabled': false, 'network.captive-portal-service.enabled': false, 'browser.safebrowsing.update.enabled': false },
  });
  return {
    name: 'firefox',
    newDevice: async (baseUrl) => {
      const context = await browser.createBrowserContext();
      const errors: string[] = [];
      const watched = async () => {
        const page = await context.newPage();
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(`console: ${message.text()}`);
        });
        page.on('pageerror', (error) => {
          const message = error instanceof Error ? error.message : String(error);
          // Firefox reports a request that got no answer at all (offline, or cut off as its
          // window closed) as a CORS failure with no status: the network, not the app.
          if (NO_RESPONSE_IN_FIREFOX.test(message)) return;
          errors.push(`pageerror: ${message}`);
        });
        return page;
      };
      let page = await watched();
      const device: EngineDevice = {
        page: new EnginePage(puppeteerTab(page), baseUrl),
        errors: async () => [...errors],
        close: () => context.close(),
        setOffline: (offline) => page.setOfflineMode(offline),
        reopenWindow: async () => {
          await page.close();
          page = await watched();
          device.page = new EnginePage(puppeteerTab(page), baseUrl);
        },
      };
      return device;
    },
    close: () => browser.close(),
  };
}

// --- WebKitGTK (WebKitWebDriver, W3C WebDriver over HTTP) -------------------------------------

export function miniBrowserPath(): string {
  if (process.env.WEBKIT_MINIBROWSER_PATH) return process.env.WEBKIT_MINIBROWSER_PATH;
  for (const arch of readdirSync('/usr/lib').filter((dir) => dir.endsWith('-linux-gnu'))) {
    for (const version of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
      const path = join('/usr/lib', arch, version, 'MiniBrowser');
      if (existsSync(path)) return path;
    }
  }
  throw new Error('WebKitGTK MiniBrowser not found: apt-get install webkit2gtk-driver (or set WEBKIT_MINIBROWSER_PATH)');
}

/** W3C WebDriver key codes for the named keys the tests press. */
const WEBDRIVER_KEYS: Record<string, string> = {
  Enter: '\uE007', Escape: '\uE00C', Backspace: '\uE003', Tab: '\uE004', Shift: '\uE008', Control: '\uE009',
  Alt: '\uE00A', Meta: '\uE03D', ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015',
  Delete: '\uE017', Home: '\uE011', End: '\uE010', Space: ' ',
};
const webdriverKey = (key: string) => WEBDRIVER_KEYS[key] ?? (key.length === 1 ? key : fail(`no WebDriver code for the key ${key}`));
function fail(message: string): never {
  throw new Error(message);
}

/** An X display for the MiniBrowser: the one there is, or an Xvfb started for it (and its number). */
async function xDisplay(): Promise<{ display: string; stop: () => void }> {
  if (process.env.DISPLAY) return { display: process.env.DISPLAY, stop: () => undefined };
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    let log = '';
    xvfb.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(`:${text.trim()}`);
    });
    xvfb.once('error', (error) => reject(new Error(`Xvfb could not start (apt-get install xvfb): ${error.message}`)));
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${log}`)));
  });
  return { display, stop: () => void xvfb.kill() };
}

/** A WebKitWebDriver, the MiniBrowser it starts, and the profile folder they alone use. */
interface WebDriverProcess {
  url: string;
  process: ChildProcess;
  /** Ends the driver with its browser and every WebKit process under it, and removes the profile. */
  stop(): Promise<void>;
}

async function startWebDriver(displayEnv: NodeJS.ProcessEnv): Promise<WebDriverProcess> {
  const port = await freePort();
  // Every session gets a profile of its own (WebKitGTK keeps its data and caches under the XDG
  // folders), so a browser still shutting down never shares files with the next one starting.
  const profile = mkdtempSync(join(tmpdir(), 'roaming-notes-webkit-'));
  const env = { ...displayEnv, XDG_DATA_HOME: join(profile, 'data'), XDG_CACHE_HOME: join(profile, 'cache'), XDG_CONFIG_HOME: join(profile, 'config') };
  // A process group of its own: the driver's MiniBrowser and its web and network processes end with it.
  const driver = spawn('WebKitWebDriver', [`--port=${port}`], { env, stdio: 'ignore', detached: true });
  const gone = new Promise<void>((resolve) => driver.once('exit', () => resolve()));
  const stop = async () => {
    try {
      if (driver.pid !== undefined && driver.exitCode === null && driver.signalCode === null) process.kill(-driver.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await gone;
    rmSync(profile, { recursive: true, force: true });
  };
  const exited = new Promise<never>((_, reject) => {
    driver.once('error', (error) => reject(new Error(`WebKitWebDriver could not start (apt-get install webkit2gtk-driver): ${error.message}`)));
    driver.once('exit', (code) => reject(new Error(`WebKitWebDriver exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (;;) {
      const status = await fetch(`${url}/status`).catch(() => undefined);
      if (status?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  await Promise.race([ready, exited]).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, process: driver, stop };
}

const WEBDRIVER_COMMAND_TIMEOUT_MS = 30_000;

/** Records uncaught errors and console.error calls where the other engines' events would see them. */
const WATCH_ERRORS = `(() => {
  if (window.__engineErrors) return;
  const errors = (window.__engineErrors = []);
  addEventListener('error', (event) => errors.push('pageerror: ' + (event.error?.message ?? event.message)));
  addEventListener('unhandledrejection', (event) => errors.push('pageerror: (in promise) ' + (event.reason?.message ?? String(event.reason))));
  const original = console.error;
  console.error = (...args) => { errors.push('console: ' + args.map(String).join(' ')); original.apply(console, args); };
})()`;

async function launchWebKit(): Promise<Engine> {
  const x = await xDisplay();
  const binary = miniBrowserPath();
  const drivers = new Set<WebDriverProcess>();
  return {
    name: 'webkit',
    // WebKitWebDriver holds one session at a time: each device gets a driver of its own.
    newDevice: async (baseUrl) => {
      const driver = await startWebDriver({ ...process.env, DISPLAY: x.display });
      drivers.add(driver);
      const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const what = `WebDriver ${method} ${path.replace(/^\/session\/[^/]+/, '')}`;
        const response = await fetch(`${driver.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          // A command that never answers fails here, named, instead of timing the whole test out.
          signal: AbortSignal.timeout(WEBDRIVER_COMMAND_TIMEOUT_MS),
        }).catch((error: unknown) => {
          throw new Error(`${what}: ${String(error)}`);
        });
        const json = (await response.json()) as { value: T & { error?: string; message?: string } };
        if (!response.ok) throw new Error(`${what}: ${json.value.error}: ${json.value.message}`);
        return json.value;
      };
      // WebDriver has no network command: the device reaches the network through a switch of its own.
      const network = await startNetworkSwitch();
      let session: { sessionId: string };
      try {
        session = await call<{ sessionId: string }>('POST', '/session', {
          capabilities: {
            alwaysMatch: {
              'webkitgtk:browserOptions': { binary, args: ['--automation'] },
              proxy: { proxyType: 'manual', httpProxy: network.address, sslProxy: network.address, noProxy: [] },
            },
          },
        });
      } catch (error) {
        drivers.delete(driver);
        await Promise.all([driver.stop(), network.close()]);
        throw error;
      }
      const at = `/session/${session.sessionId}`;
      await call('POST', `${at}/window/rect`, VIEWPORT);
      const errors: string[] = [];
      const collect = async () => {
        const seen = await call<string[] | null>('POST', `${at}/execute/sync`, { script: 'return window.__engineErrors?.splice(0) ?? []', args: [] }).catch(() => null);
        errors.push(...(seen ?? []));
      };
      const watch = () => call('POST', `${at}/execute/sync`, { script: WATCH_ERRORS, args: [] });
      const actions = (list: unknown[]) => call('POST', `${at}/actions`, { actions: list });
      const keys = (sequence: string[][]) =>
        actions([{ type: 'key', id: 'keyboard', actions: sequence.flatMap((held) => [
          ...held.map((value) => ({ type: 'keyDown', value })),
          ...[...held].reverse().map((value) => ({ type: 'keyUp', value })),
        ]) }]);
      const tab: Tab = {
        goto: async (url) => {
          await collect();
          await call('POST', `${at}/url`, { url });
          await watch();
        },
        reload: async () => {
          await collect();
          await call('POST', `${at}/refresh`, {});
          await watch();
        },
        evaluate: (expression) => call('POST', `${at}/execute/sync`, { script: `return ${expression}`, args: [] }),
        clickAt: async (x, y) => {
          await actions([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
            { type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport', duration: 0 },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ] }]);
        },
        press: async (key) => void (await keys([chord(key).map(webdriverKey)])),
        type: async (text) => void (await keys([...text].map((char) => [char === '\n' ? WEBDRIVER_KEYS.Enter : char]))),
        screenshot: async () => Buffer.from(await call<string>('GET', `${at}/screenshot`), 'base64'),
      };
      const device: EngineDevice = {
        page: new EnginePage(tab, baseUrl),
        errors: async () => {
          await collect();
          return [...errors];
        },
        close: async () => {
          await call('DELETE', at).finally(async () => {
            drivers.delete(driver);
            await Promise.all([driver.stop(), network.close()]);
          });
        },
        setOffline: async (offline) => network.setOffline(offline),
        // A new window of the same session (the profile and its storage stay), then the old one closed.
        reopenWindow: async () => {
          await collect();
          const { handle } = await call<{ handle: string }>('POST', `${at}/window/new`, { type: 'window' });
          await call('DELETE', `${at}/window`);
          await call('POST', `${at}/window`, { handle });
          await call('POST', `${at}/window/rect`, VIEWPORT);
          device.page = new EnginePage(tab, baseUrl);
        },
      };
      return device;
    },
    close: async () => {
      await Promise.all([...drivers].map((driver) => driver.stop()));
      x.stop();
    },
  };
}
