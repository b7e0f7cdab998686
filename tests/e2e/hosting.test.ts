/**
 * The production build as Firebase Hosting serves it, through the Hosting emulator with this
 * repository's firebase.json: the security headers arrive on every response, the policy allows no
 * inline script, and the app still works under it in Chromium (no violation, notes saved, the
 * service worker in control, offline start).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { newDevice, openApp, useChromium, waitForApp, waitForServiceWorker, type Device } from './harness.js';
import { addNote, card } from './people.js';

interface FirebaseJson {
  emulators: { hosting: { host: string; port: number } };
}

const firebaseJson = JSON.parse(await readFile(new URL('../../firebase.json', import.meta.url), 'utf8')) as FirebaseJson;
const HOSTING = `http://${firebaseJson.emulators.hosting.host}:${firebaseJson.emulators.hosting.port}`;

/** Fails loudly, not vacuously, when the Hosting emulator is not running. */
async function requireHostingEmulator(): Promise<void> {
  await fetch(HOSTING).catch((error: unknown) => {
    throw new Error(`The Hosting emulator is not reachable at ${HOSTING}: run the tests through npm test. (${String(error)})`);
  });
}

const browser = useChromium(requireHostingEmulator);
let device: Device | undefined;
let page: Page;

afterEach(async () => {
  if (!device) return;
  expect(device.errors).toEqual([]);
  expect(await cspViolations()).toEqual([]);
  await device.context.close();
  device = undefined;
});

/** Every Content-Security-Policy violation the page saw, recorded from the document's own event. */
async function recordCspViolations(): Promise<void> {
  await device!.context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
}

const cspViolations = () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers from the Hosting emulator', () => {
  it('sends the policy, nosniff, referrer and permissions headers on the page, deep links and assets', async () => {
    const html = await fetch(`${HOSTING}/`);
    const assetPath = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(assetPath, 'the page loads its code from /assets').toBeDefined();
    for (const path of ['/', '/index.html', '/trash/some-deep-link', assetPath!, '/sw.js', '/manifest.webmanifest']) {
      const response = await fetch(`${HOSTING}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('permissions-policy'), path).toContain('camera=()');
      const policy = directives(response.headers.get('content-security-policy') ?? '');
      expect(policy.get('script-src'), path).toBeDefined();
      expect(policy.get('script-src'), path).not.toContain("'unsafe-inline'");
      expect(policy.get('script-src'), path).not.toContain("'unsafe-eval'");
      expect(policy.get('object-src'), path).toEqual(["'none'"]);
    }
    expect((await fetch(`${HOSTING}${assetPath!}`)).headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${HOSTING}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${HOSTING}/trash/some-deep-link`)).headers.get('content-type')).toContain('text/html');
  });

  it("serves a page whose one inline script (the first screen's) the policy allows by its hash, and no inline handler", async () => {
    const response = await fetch(`${HOSTING}/`);
    const scriptSources = directives(response.headers.get('content-security-policy') ?? '').get('script-src') ?? [];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    const inline = scripts.filter(([, attributes]) => !/\bsrc=/.test(attributes!));
    expect(scripts.length).toBeGreaterThan(inline.length);
    expect(inline).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(inline[0]![2]!).digest('base64')}'`;
    expect(scriptSources).toContain(hash);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});

describe('the app under those headers', () => {
  it('saves notes, keeps them over a reload, and starts offline, with no policy violation', async () => {
    device = await newDevice(browser(), HOSTING);
    page = device.page;
    await recordCspViolations();
    await openApp(page);
    await addNote(page, 'Served by Hosting');
    await page.reload();
    await waitForApp(page);
    await card(page, 'Served by Hosting').waitFor();
    await waitForServiceWorker(page);
    await device.context.setOffline(true);
    await page.reload();
    await waitForApp(page);
    await card(page, 'Served by Hosting').waitFor();
    await device.context.setOffline(false);
  });
});
