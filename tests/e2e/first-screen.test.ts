/**
 * The first screen kept as HTML (src/ui/first-screen.ts, src/platform/first-screen-script.ts):
 * kept when the page is hidden with the plain board on screen, painted by the next start before
 * any module runs, taken away once the app's own board has painted, and never painted where it
 * would show something other than what the app will show.
 *
 * The app's code is held back by routing its scripts (the service worker is blocked in these
 * contexts, so every request reaches the route) to see what the page paints without it. The kept
 * copy's shadow roots are closed, so the page's own DOM APIs cannot read its text: the DevTools
 * protocol's document, which pierces closed roots, can.
 */
import type { Page, Route } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { APP } from '../../src/constants';
import { FIRST_SCREEN } from '../../src/platform/first-screen-script';
import { serveGapiStandIn } from '../../testing/gapi-stand-in.js';
import { newDevice, openApp, useChromium, waitForApp, type Device } from './harness.js';
import { addNote, card, requireAuthEmulator, signIn, uniqueEmail } from './people.js';

const browser = useChromium();
let device: Device | undefined;

afterEach(async () => {
  expect(device?.errors ?? []).toEqual([]);
  await device?.context.close();
  device = undefined;
});

async function freshDevice(baseUrl?: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  device = await newDevice(browser(), baseUrl, { serviceWorkers: 'block', viewport });
  await serveGapiStandIn(device.context);
  await openApp(device.page);
  return device.page;
}

/**
 * The person leaves the app: the page is hidden and unloaded. The copier loads just after the
 * board's first paint (a page left before it has arrived keeps the copy it had): its module is
 * waited for first, then one frame, in which its import has long resolved.
 */
async function leave(page: Page): Promise<void> {
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((entry) => /\/first-screen-[^/]*\.js$/.test(entry.name)));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  await page.goto('about:blank');
}

/** Opens the app with its scripts held back; `release` lets them load. */
async function startHeld(page: Page, path = '/'): Promise<{ release: () => Promise<void> }> {
  const held: Route[] = [];
  let releasing = false;
  const hold = (route: Route) => (releasing ? route.continue() : void held.push(route));
  await page.route(/\/assets\/[^/]+\.js$/, hold);
  await page.goto(path, { waitUntil: 'commit' });
  // Parsed up to the app's element: the first-screen script before it has run.
  await page.waitForFunction(() => document.querySelector('notes-app') !== null);
  return {
    release: async () => {
      releasing = true;
      for (const route of held.splice(0)) await route.continue();
      await page.unroute(/\/assets\/[^/]+\.js$/, hold);
    },
  };
}

/** The text the kept copy paints, read through its closed shadow roots; undefined when it is not on the page. */
async function keptScreenText(page: Page): Promise<string | undefined> {
  interface DomNode {
    nodeType: number;
    nodeValue: string;
    attributes?: string[];
    children?: DomNode[];
    shadowRoots?: DomNode[];
  }
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const find = (node: DomNode): DomNode | undefined => {
      const id = node.attributes?.indexOf('id') ?? -1;
      if (id >= 0 && node.attributes?.[id + 1] === FIRST_SCREEN.ELEMENT_ID) return node;
      for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
        const found = find(child);
        if (found) return found;
      }
      return undefined;
    };
    const text = (node: DomNode): string =>
      node.nodeType === 3 ? node.nodeValue : [...(node.shadowRoots ?? []), ...(node.children ?? [])].map(text).join(' ');
    const kept = find(root);
    return kept && text(kept).replace(/\s+/g, ' ');
  } finally {
    await cdp.detach();
  }
}

const keptInStorage = (page: Page) => page.evaluate((key) => localStorage.getItem(key), FIRST_SCREEN.STORAGE_KEY);

describe('the first screen kept as HTML', () => {
  it('paints the board as it was left before any module has run, hidden from assistive technology, and gives way to the app', async () => {
    const page = await freshDevice();
    await addNote(page, 'Buy oat milk');
    await addNote(page, 'Call the plumber');
    await page.getByRole('article').nth(1).waitFor();
    await leave(page);

    const { release } = await startHeld(page);
    const painted = await keptScreenText(page);
    expect(painted).toContain('Buy oat milk');
    expect(painted).toContain('Call the plumber');
    const kept = page.locator(`#${FIRST_SCREEN.ELEMENT_ID}`);
    expect(await kept.getAttribute('aria-hidden')).toBe('true');
    expect(await kept.evaluate((element) => (element as HTMLElement).inert)).toBe(true);
    // Nothing of the copy is the app's: no element of it was upgraded, no role reaches it.
    expect(await page.getByRole('article').count()).toBe(0);

    await release();
    await waitForApp(page);
    await card(page, 'Buy oat milk').waitFor();
    await kept.waitFor({ state: 'detached' });
    expect(await keptScreenText(page)).toBeUndefined();
    expect(await page.getByRole('article').count()).toBe(2);
  });

  it('is not painted in a window of another width, on a deep link, or for another database', async () => {
    const page = await freshDevice();
    await addNote(page, 'Only on the plain board');
    await leave(page);
    // Each start below is left for a page of the site that is not the app (leaving the app keeps
    // a copy of its own), where the copy is set as each case needs.
    const away = () => page.goto('/robots.txt');
    await away();
    const original = await keptInStorage(page);
    expect(original).toContain('Only on the plain board');
    const keep = (kept: string) => page.evaluate(({ key, kept }) => localStorage.setItem(key, kept), { key: FIRST_SCREEN.STORAGE_KEY, kept });
    const startAndSee = async (path = '/') => {
      const start = await startHeld(page, path);
      const painted = await keptScreenText(page);
      await start.release();
      await waitForApp(page);
      await away();
      return painted;
    };

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await startAndSee()).toBeUndefined();
    await page.setViewportSize({ width: 1280, height: 800 });
    await keep(original!);
    expect(await startAndSee('/?action=new-note')).toBeUndefined();
    // A copy of another notes database (say, one whose account signed out elsewhere).
    await keep(JSON.stringify({ ...(JSON.parse(original!) as object), db: 'roaming-notes-user-someone-else' }));
    expect(await startAndSee()).toBeUndefined();
    // The same copy, for this database, in this window, on a plain start: painted.
    await keep(original!);
    expect(await startAndSee()).toContain('Only on the plain board');
  });

  it('is forgotten when the page is hidden with something else than the plain board on screen', async () => {
    const page = await freshDevice();
    await addNote(page, 'Find me');
    await leave(page);
    await openApp(page);
    await card(page, 'Find me').waitFor();
    expect(await keptInStorage(page)).toContain('Find me');

    await page.getByRole('button', { name: 'Trash' }).click();
    await leave(page);
    await openApp(page);
    expect(await keptInStorage(page)).toBeNull();
  });

  it('is forgotten with the account whose notes it shows when that account signs out', async () => {
    await requireAuthEmulator();
    const page = await freshDevice(inject('emulatorAppUrl'));
    await signIn(page, 'Google', { email: uniqueEmail('kept'), name: 'Kim Kept' });
    await addNote(page, 'An account note');
    await leave(page);
    await openApp(page);
    await card(page, 'An account note').waitFor();
    expect(await keptInStorage(page)).toContain('An account note');

    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The note may not have synced yet: then the app asks first.
    const signInButton = page.getByRole('button', { name: 'Sign in' });
    const anyway = page.getByRole('button', { name: 'Sign out anyway' });
    await expect.poll(async () => (await signInButton.isVisible()) || (await anyway.isVisible()), { timeout: APP.PUSH_SIGN_OUT_TIMEOUT_MS + 5_000 }).toBe(true);
    if (await anyway.isVisible()) await anyway.click();
    await signInButton.waitFor();
    await expect.poll(() => keptInStorage(page)).toBeNull();
  });
});
