/**
 * 6. Push fan-out in the functions emulator, warm: a note document created (a REST commit, as the
 * sync engine's write lands) to the push sender called, for a person with 1 and with 1,000 other
 * devices. "Sender called" is the emulator sender's own clock when sendEach starts
 * (emulatorPushLog.calledAtMs, written by functions/src/senders.ts; one machine, one clock).
 * Baseline: the same for 1 channel. When the function does not log sends yet, the result says
 * "not available" instead of inventing a figure.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { BenchContext } from '../lib/context.js';
import { commit, noteFields, queryWhereEquals, runningEmulators, str, time, withTriggersDisabled, type DocWrite } from '../lib/emulator.js';
import { percentile, round, type BenchResult } from '../lib/results.js';

const TARGET_MS = 500;
const PUSH_LOG = 'emulatorPushLog';
/** The first (cold) run may start the functions runtime; after that a send is well under a second. */
const FIRST_SEND_TIMEOUT_MS = 30_000;
const SEND_TIMEOUT_MS = 60_000;

async function seedChannels(uid: string, count: number): Promise<void> {
  const now = Date.now();
  await withTriggersDisabled(async () => {
    for (let start = 0; start < count; start += 500) {
      const writes: DocWrite[] = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const token = `${uid}-device-${i}`;
        writes.push({
          path: `channels/${createHash('sha256').update(token, 'utf8').digest('hex')}`,
          fields: { uid: str(uid), token: str(token), deviceId: str(`device-${i}`), deviceName: str(`Device ${i}`), platform: str('bench'), createdAt: time(now), lastSeen: time(now) },
        });
      }
      await commit(writes);
    }
  });
}

/** Creates a note and waits for `expected` logged sends; returns ms from the write to the first and last sendEach call. */
async function createAndObserve(uid: string, expected: number, timeoutMs: number): Promise<{ firstMs: number; lastMs: number } | undefined> {
  const noteId = randomUUID();
  const started = Date.now();
  await commit([{ path: `users/${uid}/notes/${noteId}`, fields: { ...noteFields(0, started), updatedBy: str('bench-writer') }, serverTime: ['updatedAt'] }]);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const logged = await queryWhereEquals(PUSH_LOG, 'noteId', noteId);
    if (logged.length >= expected) {
      const calls = logged.map((fields) => Number((fields.calledAtMs as { integerValue?: string } | undefined)?.integerValue ?? Number.NaN));
      return { firstMs: Math.min(...calls) - started, lastMs: Math.max(...calls) - started };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}

export async function fanout(bench: BenchContext): Promise<BenchResult> {
  const full = bench.scale === 'full';
  const [many, runs, warmUps] = full ? [1_000, 7, 3] : [20, 1, 1];
  const unavailable = (note: string): BenchResult => ({
    id: 'fanout',
    title: 'Push fan-out: note created to sender called (functions emulator, warm)',
    status: 'not-available',
    note,
    figures: {},
    baseline: { what: 'the same for 1 channel', figures: {} },
    target: { text: `<= ${TARGET_MS} ms for ${many.toLocaleString('en-US')} channels`, met: undefined },
    details: {},
  });
  const emulators = await runningEmulators();
  if (!emulators.includes('functions')) return unavailable(`not available yet: the functions emulator is not running (running: ${emulators.join(', ')})`);

  const results: Record<number, { first: number[]; last: number[] }> = {};
  for (const channels of [1, many]) {
    const uid = `bench-fanout-${channels}-${randomUUID().slice(0, 8)}`;
    await seedChannels(uid, channels);
    for (let i = 0; i < warmUps; i++) {
      const sample = await createAndObserve(uid, channels, i === 0 && channels === 1 ? FIRST_SEND_TIMEOUT_MS : SEND_TIMEOUT_MS);
      if (!sample) {
        return unavailable(
          `not available yet: no send reached ${PUSH_LOG} within ${Math.round(FIRST_SEND_TIMEOUT_MS / 1000)} s of a note being created (the push function or its emulator sender is not there)`,
        );
      }
    }
    const first: number[] = [];
    const last: number[] = [];
    for (let i = 0; i < runs; i++) {
      const sample = await createAndObserve(uid, channels, SEND_TIMEOUT_MS);
      if (!sample) throw new Error(`${channels} channels: the sends stopped arriving in ${PUSH_LOG}`);
      first.push(sample.firstMs);
      last.push(sample.lastMs);
    }
    results[channels] = { first, last };
  }
  const med = (values: number[]) => round(percentile(values, 50));
  const manyLast = med(results[many]!.last);
  const met = manyLast <= TARGET_MS;
  return {
    id: 'fanout',
    title: `Push fan-out: note created to sender called, ${many.toLocaleString('en-US')} channels (functions emulator, warm)`,
    status: 'ok',
    figures: { firstSendMedianMs: med(results[many]!.first), lastSendMedianMs: manyLast, lastSendMaxMs: round(Math.max(...results[many]!.last)) },
    baseline: { what: 'the same for 1 channel', figures: { sendMedianMs: med(results[1]!.first), sendMaxMs: round(Math.max(...results[1]!.first)) } },
    target: {
      text: `<= ${TARGET_MS} ms for ${many.toLocaleString('en-US')} channels (last sender call)`,
      met,
      margin: `${round(Math.abs(TARGET_MS - manyLast))} ms ${met ? 'under' : 'over'}`,
    },
    details: { runs, warmUpRunsDiscarded: warmUps, oneChannelMs: results[1], manyChannelsMs: results[many] },
  };
}
