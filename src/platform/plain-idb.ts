/**
 * Plain IndexedDB, for the start's reads (start-reads.ts, src/db/first-window.ts) that run before
 * Dexie is evaluated.
 */

/**
 * The names of this origin's databases, or undefined where the browser cannot list them. A list
 * answers sooner than an open that finds nothing: on a first visit such an open makes the
 * database on disk before the read aborts it (some 100 ms here).
 */
export function listDatabases(): Promise<ReadonlySet<string> | undefined> {
  if (typeof indexedDB.databases !== 'function') return Promise.resolve(undefined);
  return indexedDB.databases().then(
    (databases) => new Set(databases.map((database) => database.name ?? '')),
    () => undefined,
  );
}

/**
 * Opens a database that exists, without creating or upgrading it: 'absent' when there is no
 * database of that name (as soon as either the open or the list of databases `listed` says so),
 * 'unopenable' when it cannot be opened (blocked, an error).
 */
export function openExisting(name: string, listed?: Promise<ReadonlySet<string> | undefined>): Promise<IDBDatabase | 'absent' | 'unopenable'> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: IDBDatabase | 'absent' | 'unopenable') => {
      if (settled) {
        // The list answered first; a database made meanwhile (another tab) is not this read's.
        if (typeof result !== 'string') result.close();
        return;
      }
      settled = true;
      resolve(result);
    };
    void listed?.then((names) => {
      if (names && !names.has(name)) settle('absent');
    });
    const request = indexedDB.open(name);
    let absent = false;
    // No database of that name yet: the app creates it with its schema, not this read.
    request.onupgradeneeded = () => {
      absent = true;
      request.transaction?.abort();
    };
    request.onsuccess = () => {
      const db = request.result;
      // Never stand in the way of the app upgrading its database.
      db.onversionchange = () => db.close();
      settle(db);
    };
    request.onerror = (event) => {
      event.preventDefault();
      settle(absent ? 'absent' : 'unopenable');
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
