/**
 * Reaching into the app's page from outside, without hooks in the product: seeding the notes
 * database in the store's shape, and finding rendered cards through the open shadow roots.
 */
import type { Page } from 'playwright-core';
import { defaultOrderKey } from '../../src/db/order-key.js';

/**
 * Writes `count` notes straight into an existing notes database (the app must have opened it
 * once), in the shape src/db/notes.ts createNote stores, as if typed over the years.
 */
export async function seedLocalNotes(page: Page, dbName: string, count: number): Promise<void> {
  const start = Date.now() - count * 60_000;
  // The order key the store derives for a note from before board order: newest first.
  const orders = Array.from({ length: count }, (_, i) => defaultOrderKey(start + i * 60_000));
  await page.evaluate(
    async ({ name, total, start, orders }) => {
      // The app creates its database just after its first render: wait for its tables, never create them here.
      const open = () =>
        new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      let db: IDBDatabase;
      for (;;) {
        if ((await indexedDB.databases()).some((info) => info.name === name)) {
          db = await open();
          if (db.objectStoreNames.contains('notes')) break;
          db.close();
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const colors = ['yellow', 'green', 'pink', 'purple', 'blue', 'gray'];
      const tx = db.transaction('notes', 'readwrite');
      const store = tx.objectStore('notes');
      for (let i = 0; i < total; i++) {
        const at = start + i * 60_000;
        const stamp = `${String(at).padStart(15, '0')}:00000:seed-device`;
        store.put({
          id: `seed-${String(i).padStart(6, '0')}`,
          text: `Note ${i}: call the plumber about the kitchen tap, then buy bread`,
          color: colors[i % colors.length],
          pinned: false,
          done: i % 7 === 0,
          trashed: false,
          deleted: false,
          order: orders[i],
          createdAt: at,
          updatedAt: at,
          lane: 1,
          clocks: { text: stamp, color: stamp, pinned: stamp, done: stamp, trashed: stamp, deleted: stamp },
        });
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { name: dbName, total: count, start, orders },
  );
}

/** Waits until the board shows `count` notes (every cell says how many there are). */
export async function waitForBoardOf(page: Page, count: number, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const board = document.querySelector('notes-app')?.shadowRoot?.querySelector('note-board');
      return board?.shadowRoot?.querySelector('.cell')?.getAttribute('aria-setsize') === String(expected);
    },
    count,
    { timeout: timeoutMs, polling: 50 },
  );
}
