/**
 * Push fan-out latency in the functions emulator: from a note document written (Admin SDK, as
 * the sync engine's write lands) to the push sender being called, warm, for a person with 1 and
 * with 1,000 other devices. "Sender called" is the stand-in sender's own clock at the start of
 * each sendEach call (emulatorPushLog.calledAtMs; same machine, same clock as this process).
 *
 *   node scripts/emulators.mjs exec -- npx vitest run --config bench/vitest.config.ts
 *
 * Results are printed and written to bench/results/push-fanout.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { arch, cpus, platform } from 'node:os';
import { expect, it } from 'vitest';
import { EMULATOR_PUSH_LOG } from '../functions/src/senders';
import {
  assertFunctionsEmulator,
  noteDoc,
  pushTestFirestore,
  seedChannels,
  uniqueUid,
  waitUntil,
  type Firestore,
} from '../tests/emulator/push-helpers';

const RUNS = 7;
const WARM_UP_RUNS = 3;

interface Sample {
  firstCallMs: number;
  lastCallMs: number;
  loggedAllMs: number;
}

async function createAndObserve(db: Firestore, uid: string, expected: number): Promise<Sample> {
  const noteId = randomUUID();
  const log = db.collection(EMULATOR_PUSH_LOG).where('noteId', '==', noteId);
  const started = Date.now();
  await db.collection('users').doc(uid).collection('notes').doc(noteId).set(noteDoc({ text: `Bench note ${noteId}` }));
  const docs = await waitUntil(
    async () => {
      const snapshot = await log.get();
      return snapshot.size >= expected && snapshot.docs;
    },
    60_000,
    `${expected} logged sends`,
  );
  const loggedAllMs = Date.now() - started;
  const calls = docs.map((doc) => doc.get('calledAtMs') as number);
  return { firstCallMs: Math.min(...calls) - started, lastCallMs: Math.max(...calls) - started, loggedAllMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (values: number[]) => `median ${median(values)} ms (min ${Math.min(...values)}, max ${Math.max(...values)})`;

it('measures note creation → sender called, for 1 and 1,000 channels', async () => {
  await assertFunctionsEmulator();
  const db = pushTestFirestore();
  const lines: string[] = [];
  for (const channels of [1, 1_000]) {
    const uid = uniqueUid(`bench${channels}`);
    await seedChannels(
      db,
      Array.from({ length: channels }, (_, i) => ({ uid, token: `${uid}-device-${i}`, deviceId: `device-${i}` })),
    );
    for (let i = 0; i < WARM_UP_RUNS; i++) await createAndObserve(db, uid, channels);
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await createAndObserve(db, uid, channels));
    lines.push(
      `| ${channels.toLocaleString('en-US')} | ${summary(samples.map((s) => s.firstCallMs))} | ` +
        `${summary(samples.map((s) => s.lastCallMs))} | ${summary(samples.map((s) => s.loggedAllMs))} |`,
    );
    expect(samples.every((s) => s.firstCallMs >= 0)).toBe(true);
  }
  const report = [
    '# Push fan-out in the functions emulator',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${cpus().length}× ${cpus()[0]?.model ?? 'CPU'}, ${platform()} ${arch()}, Node ${process.versions.node}.`,
    `Warm (${WARM_UP_RUNS} runs discarded), ${RUNS} runs each. Times from the note write starting.`,
    '',
    '| channels | first sendEach called | last sendEach called | all sends in emulatorPushLog (seen by polling) |',
    '| --- | --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
  console.log(report);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/push-fanout.md', import.meta.url), report);
});
