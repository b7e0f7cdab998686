/**
 * An in-memory server for label sync (RemoteLabels) with the semantics of FirestoreLabels and
 * firestore.rules: a merge is a transaction (read, mergeLabels, write) checked as the rules check
 * a label document; every client listening hears the changed labels after each commit. A client
 * can go offline: its merges fail as 'unavailable' and its listener fails, as Firestore's do.
 */
import { mergeLabels, MAX_LABEL_NAME_LENGTH, LABEL_FIELDS, isLabelColor, type Label } from '../../src/shared/label.js';
import type { RemoteLabels } from '../../src/sync/label-sync.js';

class LabelServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeLabelServer {
  readonly labels = new Map<string, Label>();
  private readonly clients = new Set<FakeLabelClient>();
  /** Merges that wrote something. */
  commits = 0;

  client(): FakeLabelClient {
    const client = new FakeLabelClient(this);
    this.clients.add(client);
    return client;
  }

  merge(label: Label): Label {
    const held = this.labels.get(label.id);
    const merged = held ? { ...mergeLabels(held, label), createdAt: held.createdAt } : structuredClone(label);
    if (held && JSON.stringify(held) === JSON.stringify(merged)) return structuredClone(merged);
    this.check(held, merged);
    this.labels.set(label.id, merged);
    this.commits += 1;
    for (const client of this.clients) client.hear([structuredClone(merged)]);
    return structuredClone(merged);
  }

  /** validLabel and the update rule in firestore.rules. */
  private check(before: Label | undefined, after: Label): void {
    const refuse = (why: string) => {
      throw new LabelServerError('permission-denied', `label ${after.id}: ${why}`);
    };
    if (after.deleted ? after.name !== '' : after.name.length < 1 || after.name.length > MAX_LABEL_NAME_LENGTH) refuse('bad name');
    if (!isLabelColor(after.color)) refuse('bad color');
    if (before?.deleted && !after.deleted) refuse('undeleted');
    for (const field of LABEL_FIELDS) {
      const held = before?.clocks[field];
      if (held !== undefined && (after.clocks[field] ?? '') < held) refuse(`older ${field} stamp`);
    }
  }

  forget(client: FakeLabelClient): void {
    this.clients.delete(client);
  }
}

export class FakeLabelClient implements RemoteLabels {
  online = true;
  private listener: { onLabels: (labels: Label[]) => void; onError: (error: unknown) => void } | undefined;

  constructor(private readonly server: FakeLabelServer) {}

  setOnline(online: boolean): void {
    this.online = online;
    if (!online && this.listener) {
      const { onError } = this.listener;
      this.listener = undefined;
      onError(new LabelServerError('unavailable', 'offline'));
    }
  }

  listen(onLabels: (labels: Label[]) => void, onError: (error: unknown) => void): () => void {
    if (!this.online) {
      queueMicrotask(() => onError(new LabelServerError('unavailable', 'offline')));
      return () => undefined;
    }
    const listener = { onLabels, onError };
    this.listener = listener;
    const all = [...this.server.labels.values()].map((label) => structuredClone(label));
    queueMicrotask(() => {
      if (this.listener === listener && all.length) onLabels(all);
    });
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }

  hear(labels: Label[]): void {
    const listener = this.listener;
    if (listener) queueMicrotask(() => this.listener === listener && listener.onLabels(labels));
  }

  async merge(label: Label): Promise<Label> {
    await Promise.resolve();
    if (!this.online) throw new LabelServerError('unavailable', 'offline');
    return this.server.merge(label);
  }
}
