/**
 * Plain IndexedDB, for the start's reads (start-reads.ts, src/db/first-window.ts) that run before
 * Dexie is evaluated.
 */

/** Opens a database that exists, without creating or upgrading it; undefined when it does not exist or cannot be opened. */
export function openExisting(name: string): Promise<IDBDatabase | undefined> {
  return new Promise((resolve) => {
    const request = indexedDB.open(name);
    // No database of that name yet: the app creates it with its schema, not this read.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => {
      const db = request.result;
      // Never stand in the way of the app upgrading its database.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = (event) => {
      event.preventDefault();
      resolve(undefined);
    };
  });
}

/** A request's result, once it has one. */
export function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
