/**
 * Small device values survive their connection going away: another tab upgrading the database
 * (versionchange) closes ours, and the next read reopens it instead of failing until a reload.
 */
import { describe, expect, it } from 'vitest';
import { del, get, set } from '../../src/platform/keyval.js';

function upgradeFromAnotherTab(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = indexedDB.open('keyval-store');
    probe.onsuccess = () => {
      const version = probe.result.version;
      probe.result.close();
      const request = indexedDB.open('keyval-store', version + 1);
      request.onupgradeneeded = () => request.result.createObjectStore(`newer-${version}`);
      request.onsuccess = () => (resolve(request.result.version), request.result.close());
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('the upgrade was blocked by the open settings connection'));
    };
  });
}

describe('small device values', () => {
  it('are read, written and deleted', async () => {
    await set('greeting', { text: 'hello' });
    expect(await get('greeting')).toEqual({ text: 'hello' });
    await del('greeting');
    expect(await get('greeting')).toBeUndefined();
  });

  it('let another tab upgrade their database, and reopen for the next read and write', async () => {
    await set('device', 'phone');
    expect(await upgradeFromAnotherTab()).toBeGreaterThan(1);
    expect(await get('device')).toBe('phone');
    await set('device', 'laptop');
    expect(await upgradeFromAnotherTab()).toBeGreaterThan(2);
    expect(await get('device')).toBe('laptop');
  });
});
