/**
 * The first-screen script (src/platform/first-screen-script.ts) runs inline in index.html, which
 * the Content-Security-Policy allows only by the script's hash: the two are kept equal here. What
 * it paints, and when, is checked in a browser (tests/e2e/first-screen.test.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN, firstScreenScript, forgetFirstScreen } from '../../src/platform/first-screen-script';

interface HostingConfig {
  hosting: { headers: { source: string; headers: { key: string; value: string }[] }[] };
}

function scriptSources(): string[][] {
  const config = JSON.parse(readFileSync(new URL('../../firebase.json', import.meta.url), 'utf8')) as HostingConfig;
  return config.hosting.headers
    .flatMap((rule) => rule.headers)
    .filter((header) => header.key === 'Content-Security-Policy')
    .map((header) => header.value.split(';').map((part) => part.trim().split(/\s+/)).find(([name]) => name === 'script-src')?.slice(1) ?? []);
}

describe('the first-screen script', () => {
  it("is allowed by every Content-Security-Policy of firebase.json by its hash, and by nothing wider", () => {
    const hash = `'sha256-${createHash('sha256').update(firstScreenScript()).digest('base64')}'`;
    const policies = scriptSources();
    expect(policies.length).toBeGreaterThan(0);
    for (const sources of policies) {
      expect(sources, `firebase.json's script-src must list ${hash}`).toContain(hash);
      expect(sources).not.toContain("'unsafe-inline'");
    }
  });

  it('is one statement that cannot throw out of itself, and names the stored copy by its key', () => {
    const script = firstScreenScript();
    expect(script.startsWith('try{')).toBe(true);
    expect(script.endsWith('catch(e){}')).toBe(true);
    expect(script).toContain(JSON.stringify(FIRST_SCREEN.STORAGE_KEY));
    // Inline in HTML: nothing in it may end the element early.
    expect(script).not.toMatch(/<\/script/i);
  });
});

describe('forgetting the kept screen', () => {
  function withStorage(run: (items: Map<string, string>) => void): void {
    const items = new Map<string, string>();
    const storage = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    };
    Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
    try {
      run(items);
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  }

  it('forgets it with its own database only, and always when no database is named', () => {
    withStorage((items) => {
      items.set(FIRST_SCREEN.STORAGE_KEY, JSON.stringify({ v: FIRST_SCREEN.VERSION, db: 'roaming-notes-user-a', width: 390, html: '' }));
      forgetFirstScreen('roaming-notes-user-b');
      expect(items.has(FIRST_SCREEN.STORAGE_KEY)).toBe(true);
      forgetFirstScreen('roaming-notes-user-a');
      expect(items.has(FIRST_SCREEN.STORAGE_KEY)).toBe(false);
      items.set(FIRST_SCREEN.STORAGE_KEY, JSON.stringify({ v: FIRST_SCREEN.VERSION, db: 'roaming-notes-guest', width: 390, html: '' }));
      forgetFirstScreen();
      expect(items.has(FIRST_SCREEN.STORAGE_KEY)).toBe(false);
      // One that cannot be read is never painted: it goes with any database.
      items.set(FIRST_SCREEN.STORAGE_KEY, 'not JSON');
      forgetFirstScreen('roaming-notes-user-a');
      expect(items.has(FIRST_SCREEN.STORAGE_KEY)).toBe(false);
    });
  });
});
