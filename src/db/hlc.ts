/**
 * Hybrid logical clock stamps: the merge rule's notion of "later". A stamp is wall-clock
 * milliseconds, a counter and the device id, formatted so that comparing two stamps as strings
 * compares them in time, with the device id breaking exact ties identically on every device.
 * Stamps never go backwards on a device, even when its wall clock does, and a device that has seen
 * a stamp always issues later ones after it.
 */

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 5;

export function formatStamp(wallMs: number, counter: number, deviceId: string): string {
  return `${String(wallMs).padStart(WALL_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}:${deviceId}`;
}

export function parseStamp(stamp: string): { wallMs: number; counter: number; deviceId: string } | undefined {
  const match = /^(\d{15}):(\d{5}):(.+)$/.exec(stamp);
  if (!match) return undefined;
  return { wallMs: Number(match[1]), counter: Number(match[2]), deviceId: match[3]! };
}

/** The later of two stamps (undefined counts as earliest). */
export function laterStamp(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

export class HybridClock {
  private wallMs = 0;
  private counter = 0;

  constructor(
    readonly deviceId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Moves this clock past a stamp seen from elsewhere (or written earlier). */
  observe(stamp: string | undefined): void {
    const parsed = stamp === undefined ? undefined : parseStamp(stamp);
    if (!parsed) return;
    if (parsed.wallMs > this.wallMs || (parsed.wallMs === this.wallMs && parsed.counter > this.counter)) {
      this.wallMs = parsed.wallMs;
      this.counter = parsed.counter;
    }
  }

  /** A new stamp, later than every stamp issued or observed so far. */
  next(): string {
    const now = this.now();
    if (now > this.wallMs) {
      this.wallMs = now;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    return formatStamp(this.wallMs, this.counter, this.deviceId);
  }
}
