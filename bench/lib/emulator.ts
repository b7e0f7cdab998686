/**
 * The emulator suite from the benchmarks' side, over REST (no SDK): the admin `Bearer owner`
 * token bypasses security rules, as the Admin SDK would. Project and ports: testing/emulator-suite.mjs.
 */
import { EMULATOR_PROJECT_ID, emulatorUrl } from '../../testing/emulator-suite.mjs';

const FIRESTORE = emulatorUrl('firestore');
const HUB = emulatorUrl('hub');
const DOCUMENTS = `projects/${EMULATOR_PROJECT_ID}/databases/(default)/documents`;
const OWNER = { Authorization: 'Bearer owner', 'Content-Type': 'application/json' };

export type FirestoreValue =
  | { stringValue: string }
  | { booleanValue: boolean }
  | { integerValue: string }
  | { timestampValue: string }
  | { mapValue: { fields: Record<string, FirestoreValue> } };

export const str = (value: string): FirestoreValue => ({ stringValue: value });
export const bool = (value: boolean): FirestoreValue => ({ booleanValue: value });
export const time = (ms: number): FirestoreValue => ({ timestampValue: new Date(ms).toISOString() });

/** Which emulators answer, from the hub; throws with the way out when the suite is not running. */
export async function runningEmulators(): Promise<string[]> {
  const response = await fetch(`${HUB}/emulators`).catch((error: unknown) => {
    throw new Error(`The emulator hub does not answer at ${HUB}: run through \`node scripts/emulators.mjs exec -- ...\` (npm run bench does). (${String(error)})`);
  });
  return Object.keys((await response.json()) as Record<string, unknown>);
}

/** Runs `fn` with Cloud Functions triggers off, so seeding thousands of notes starts no functions. */
export async function withTriggersDisabled<T>(fn: () => Promise<T>): Promise<T> {
  const toggle = async (what: 'disable' | 'enable') => {
    const response = await fetch(`${HUB}/functions/${what}BackgroundTriggers`, { method: 'PUT' });
    if (!response.ok) throw new Error(`${what} background triggers: ${response.status} ${await response.text()}`);
  };
  await toggle('disable');
  try {
    return await fn();
  } finally {
    await toggle('enable');
  }
}

export interface DocWrite {
  path: string;
  fields: Record<string, FirestoreValue>;
  /** Fields set to the server's time of the commit (like serverTimestamp()). */
  serverTime?: string[];
}

/** One atomic commit (at most 500 writes). */
export async function commit(writes: DocWrite[]): Promise<void> {
  const body = {
    writes: writes.map((write) => ({
      update: { name: `${DOCUMENTS}/${write.path}`, fields: write.fields },
      ...(write.serverTime ? { updateTransforms: write.serverTime.map((fieldPath) => ({ fieldPath, setToServerValue: 'REQUEST_TIME' })) } : {}),
    })),
  };
  const response = await fetch(`${FIRESTORE}/v1/${DOCUMENTS}:commit`, { method: 'POST', headers: OWNER, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`Firestore commit: ${response.status} ${await response.text()}`);
}

/** A note document as the sync engine writes it (firestore.rules' exact key set). */
export function noteFields(index: number, now: number): Record<string, FirestoreValue> {
  const stamp = `${String(now).padStart(15, '0')}:00000:seed-device`;
  return {
    text: str(`Note ${index}: call the plumber about the kitchen tap, then buy bread`),
    color: str(['yellow', 'green', 'pink', 'purple', 'blue', 'gray'][index % 6]!),
    pinned: bool(false),
    done: bool(index % 7 === 0),
    trashed: bool(false),
    deleted: bool(false),
    createdAt: time(now - index * 60_000),
    updatedBy: str('seed-device'),
    clocks: { mapValue: { fields: Object.fromEntries(['text', 'color', 'pinned', 'done', 'trashed', 'deleted'].map((f) => [f, str(stamp)])) } },
  };
}

/** Seeds `count` notes for `uid` on the Firestore emulator, triggers off, 500 per commit. */
export async function seedRemoteNotes(uid: string, count: number): Promise<void> {
  const now = Date.now();
  await withTriggersDisabled(async () => {
    for (let start = 0; start < count; start += 500) {
      const writes: DocWrite[] = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        writes.push({ path: `users/${uid}/notes/seed-${String(i).padStart(6, '0')}`, fields: noteFields(i, now), serverTime: ['updatedAt'] });
      }
      await commit(writes);
    }
  });
}

/** Documents of a collection whose `field` equals `value` (a structured query, rules bypassed). */
export async function queryWhereEquals(collectionId: string, field: string, value: string): Promise<Record<string, FirestoreValue>[]> {
  const body = {
    structuredQuery: {
      from: [{ collectionId }],
      where: { fieldFilter: { field: { fieldPath: field }, op: 'EQUAL', value: { stringValue: value } } },
    },
  };
  const response = await fetch(`${FIRESTORE}/v1/${DOCUMENTS}:runQuery`, { method: 'POST', headers: OWNER, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`Firestore runQuery: ${response.status} ${await response.text()}`);
  const rows = (await response.json()) as { document?: { fields: Record<string, FirestoreValue> } }[];
  return rows.flatMap((row) => (row.document ? [row.document.fields] : []));
}

/**
 * A Firestore bundle (length-prefixed JSON elements, as the Admin SDK's BundleBuilder writes) of
 * `count` notes under users/<uid>/notes: loadBundle puts them in a client's cache as if they had
 * been downloaded, with no server involved.
 */
export function notesBundle(uid: string, count: number): string {
  const encoder = new TextEncoder();
  const element = (value: unknown) => {
    const json = JSON.stringify(value);
    return `${encoder.encode(json).length}${json}`;
  };
  const now = Date.now();
  const stampOf = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${DOCUMENTS}/users/${uid}/notes/seed-${String(i).padStart(6, '0')}`;
    const at = stampOf(now - (count - i) * 1000);
    parts.push(element({ documentMetadata: { name, readTime: stampOf(now), exists: true } }));
    parts.push(element({ document: { name, fields: { ...noteFields(i, now), updatedAt: { timestampValue: new Date(now - (count - i) * 1000).toISOString() } }, createTime: at, updateTime: at } }));
  }
  const body = parts.join('');
  const metadata = element({ metadata: { id: `bench-${uid}`, createTime: stampOf(now), version: 1, totalDocuments: count, totalBytes: encoder.encode(body).length } });
  return metadata + body;
}
