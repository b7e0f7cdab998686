/**
 * A small world for sync tests: a fake clock, a seeded PRNG, one fake server and devices on it.
 * The world's sleep() waits on the fake clock (tick() ends what is due), so an engine's backoff
 * in a run loop passes when the test moves time, not when the machine's clock does.
 * crypto.randomUUID (note ids) is replaced by the seeded generator while the world lives, so
 * note ids, and with them the (updatedAt, id) order on the server, replay by seed.
 */
import { vi } from 'vitest';
import type { SyncEngineOptions } from '../../src/sync/engine.js';
import { Device } from './device.js';
import { FakeServer, type FakeClient, type FakeServerOptions } from './fake-server.js';
import { Random } from './random.js';

let worlds = 0;

export class World {
  time = 1_750_000_000_000;
  readonly random: Random;
  readonly server: FakeServer;
  readonly devices: Device[] = [];
  private readonly name = `world-${++worlds}`;

  constructor(
    readonly seed: number,
    options: Partial<Pick<FakeServerOptions, 'repeatTimestamps'>> = {},
  ) {
    this.random = new Random(seed);
    const ids = new Random(seed ^ 0x5eed);
    vi.spyOn(crypto, 'randomUUID').mockImplementation(() => ids.uuid());
    this.server = new FakeServer({ now: () => this.time, random: this.random, ...options });
  }

  private sleepers: { until: number; wake: () => void }[] = [];

  readonly now = (): number => this.time;

  /** Resolves once the fake clock has moved `ms` on (for SyncEngineOptions.sleep). */
  readonly sleep = (ms: number): Promise<void> => new Promise((wake) => this.sleepers.push({ until: this.time + ms, wake }));

  tick(ms = 1): number {
    this.time += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.until <= this.time);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.until > this.time);
    for (const sleeper of due) sleeper.wake();
    return this.time;
  }

  async device(id: string, engineOptions: SyncEngineOptions = {}): Promise<Device & { remote: FakeClient }> {
    const device = new Device(id, `${this.name}-${id}`, this.server.client(id), this.now, engineOptions);
    await device.open();
    this.devices.push(device);
    return device as Device & { remote: FakeClient };
  }

  async destroy(): Promise<void> {
    vi.restoreAllMocks();
    for (const device of this.devices) await device.destroy();
  }
}
