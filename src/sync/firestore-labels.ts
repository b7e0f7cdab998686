/**
 * The server side of label sync on Cloud Firestore: `users/{uid}/labels/{labelId}` documents as
 * described in firestore.rules. A label is merged into the server's copy in a transaction, so two
 * devices sending edits of one label at once both land, field by field (mergeLabels).
 */
import type { DocumentData, Firestore } from 'firebase/firestore';
import { labelFrom, mergeLabels, type Label } from '../shared/label.js';
import { sameLabel } from '../db/label-state.js';
import type { RemoteLabels } from './label-sync.js';

type FirestoreSdk = typeof import('firebase/firestore');

interface TimestampLike {
  toMillis(): number;
}

function toLabel(id: string, data: DocumentData): Label | undefined {
  return labelFrom(id, data, (data.createdAt as TimestampLike | undefined)?.toMillis() ?? 0);
}

export class FirestoreLabels implements RemoteLabels {
  constructor(
    private readonly db: () => Firestore,
    private readonly sdk: FirestoreSdk,
    private readonly uid: string,
    private readonly deviceId: string,
  ) {}

  private labels(firestore: Firestore) {
    return this.sdk.collection(firestore, 'users', this.uid, 'labels');
  }

  listen(onLabels: (labels: Label[]) => void, onError: (error: unknown) => void): () => void {
    const { sdk } = this;
    return sdk.onSnapshot(
      this.labels(this.db()),
      (snapshot) => {
        const labels = snapshot
          .docChanges()
          // Our own writes show up first, uncommitted; they come back once the server holds them.
          .filter((change) => change.type !== 'removed' && !change.doc.metadata.hasPendingWrites)
          .flatMap((change) => toLabel(change.doc.id, change.doc.data()) ?? []);
        if (labels.length) onLabels(labels);
      },
      onError,
    );
  }

  async merge(label: Label): Promise<Label> {
    const { sdk } = this;
    const firestore = this.db();
    const ref = sdk.doc(this.labels(firestore), label.id);
    return sdk.runTransaction(firestore, async (transaction) => {
      const snapshot = await transaction.get(ref);
      const server = snapshot.exists() ? toLabel(label.id, snapshot.data()) : undefined;
      const merged = server ? { ...mergeLabels(server, label), createdAt: server.createdAt } : label;
      if (server && sameLabel(server, merged)) return merged;
      transaction.set(ref, {
        name: merged.name,
        color: merged.color,
        deleted: merged.deleted,
        clocks: merged.clocks,
        createdAt: snapshot.exists() ? snapshot.data().createdAt : sdk.Timestamp.fromMillis(merged.createdAt),
        updatedAt: sdk.serverTimestamp(),
        updatedBy: this.deviceId,
      });
      return merged;
    });
  }
}
