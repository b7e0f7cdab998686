/**
 * How this device reads a snapshot of its own registry record (src/account/devices.ts): only the
 * server's word counts, and a record reported missing is a question for the server, not an end.
 */
import { describe, expect, it } from 'vitest';
import { readOwnRecord } from '../../src/account/devices.js';

const snapshot = (fromCache: boolean, record: Record<string, unknown> | undefined) => ({
  metadata: { fromCache },
  exists: () => record !== undefined,
  get: (field: string) => record?.[field],
});

describe('readOwnRecord', () => {
  it('waits for the server: a snapshot from the cache says nothing, whatever it holds', () => {
    expect(readOwnRecord(snapshot(true, undefined))).toBe('wait');
    expect(readOwnRecord(snapshot(true, { revokedAt: new Date() }))).toBe('wait');
  });

  it('reads a record from the server as active or revoked', () => {
    expect(readOwnRecord(snapshot(false, { name: 'Desk', revokedAt: null }))).toBe('active');
    expect(readOwnRecord(snapshot(false, { name: 'Desk' }))).toBe('active');
    expect(readOwnRecord(snapshot(false, { name: 'Desk', revokedAt: new Date() }))).toBe('revoked');
  });

  it('reads a record reported missing as "missing", for the server to confirm, never as an end by itself', () => {
    expect(readOwnRecord(snapshot(false, undefined))).toBe('missing');
  });
});
