import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../src/account/devices.js';
import type { ChannelInfo } from '../../src/push/channels.js';
import { deviceRows } from '../../src/ui/device-rows.js';

const device = (id: string, more: Partial<DeviceInfo> = {}): DeviceInfo => ({
  id,
  name: `Device ${id}`,
  platform: 'linux',
  lastSeen: new Date(1_000),
  revoked: false,
  thisDevice: false,
  ...more,
});

const channel = (id: string, deviceId: string, more: Partial<ChannelInfo> = {}): ChannelInfo => ({
  id,
  deviceId,
  deviceName: `Channel ${id}`,
  platform: 'android',
  lastSeen: new Date(2_000),
  createdAt: new Date(0),
  thisDevice: false,
  ...more,
});

describe('My devices rows', () => {
  it('lists a registered device once, with its channel, and this device first', () => {
    const rows = deviceRows([device('a'), device('b', { thisDevice: true })], [channel('c1', 'b', { thisDevice: true })]);
    expect(rows.map((row) => [row.id, row.thisDevice, row.registered, row.channels.map((c) => c.id)])).toEqual([
      ['b', true, true, ['c1']],
      ['a', false, true, []],
    ]);
    // The registry's name; the latest time either one was seen.
    expect(rows[0].name).toBe('Device b');
    expect(rows[0].lastSeen).toEqual(new Date(2_000));
  });

  it('keeps a device known only by its channels as a row of its own, one per device', () => {
    const rows = deviceRows([device('a')], [channel('c1', 'old'), channel('c2', 'old', { lastSeen: new Date(5_000) }), channel('c3', '')]);
    expect(rows.map((row) => [row.id, row.registered, row.name, row.channels.length])).toEqual([
      ['a', true, 'Device a', 0],
      ['old', false, 'Channel c1', 2],
      ['c3', false, 'Channel c3', 1],
    ]);
    expect(rows[1].lastSeen).toEqual(new Date(5_000));
  });

  it('marks this device from its channel when the registry does not list it yet', () => {
    const rows = deviceRows([device('a')], [channel('c1', 'me', { thisDevice: true })]);
    expect(rows.map((row) => [row.id, row.thisDevice, row.registered])).toEqual([
      ['me', true, false],
      ['a', false, true],
    ]);
  });
});
