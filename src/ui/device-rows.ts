/**
 * My devices shows each device of the person once: its record in the device registry (signed in,
 * revocable) together with the push channels it holds (notifications on). A channel whose device
 * has no record (an app version before the registry, or a device not registered yet) is a row of
 * its own, so its notifications can still be renamed, tested and turned off.
 */
import type { DeviceInfo } from '../account/devices.js';
import type { ChannelInfo } from '../push/channels.js';

export interface DeviceRow {
  /** The device id (for a channel whose device id is unknown, the channel id). */
  id: string;
  name: string;
  platform: string;
  lastSeen: Date | undefined;
  thisDevice: boolean;
  /** In the registry: it can be signed out and erased from here. */
  registered: boolean;
  revoked: boolean;
  /** Its push channels: notifications are on for it when there is one. */
  channels: ChannelInfo[];
}

const latest = (...dates: (Date | undefined)[]): Date | undefined =>
  dates.reduce<Date | undefined>((last, date) => (date && (!last || date > last) ? date : last), undefined);

/** Registered devices in the registry's order (this one first), then devices known only by a channel. */
export function deviceRows(devices: readonly DeviceInfo[], channels: readonly ChannelInfo[]): DeviceRow[] {
  const rows: DeviceRow[] = devices.map((device) => {
    const own = channels.filter((channel) => channel.deviceId === device.id);
    return {
      id: device.id,
      name: device.name,
      platform: device.platform,
      lastSeen: latest(device.lastSeen, ...own.map((channel) => channel.lastSeen)),
      thisDevice: device.thisDevice || own.some((channel) => channel.thisDevice),
      registered: true,
      revoked: device.revoked,
      channels: own,
    };
  });
  const registered = new Set(devices.map((device) => device.id));
  const unregistered = new Map<string, DeviceRow>();
  for (const channel of channels) {
    if (registered.has(channel.deviceId)) continue;
    const id = channel.deviceId || channel.id;
    const row = unregistered.get(id);
    if (row) {
      row.channels.push(channel);
      row.thisDevice ||= channel.thisDevice;
      row.lastSeen = latest(row.lastSeen, channel.lastSeen);
      continue;
    }
    unregistered.set(id, {
      id,
      name: channel.deviceName,
      platform: channel.platform,
      lastSeen: channel.lastSeen,
      thisDevice: channel.thisDevice,
      registered: false,
      revoked: false,
      channels: [channel],
    });
  }
  // This device first, wherever its row came from (the sort is stable: the rest keep their order).
  return [...rows, ...unregistered.values()].sort((a, b) => Number(b.thisDevice) - Number(a.thisDevice));
}
