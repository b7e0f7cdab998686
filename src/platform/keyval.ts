/**
 * Small per-device values (device id, last account, push channel) in idb-keyval's database,
 * through a connection that reopens itself. idb-keyval's default store keeps its first connection
 * for the life of the page, so once the browser closed it (a storage reset, another tab upgrading
 * the database, devtools) every later read would fail until a reload.
 */
import { APP } from '../constants.js';
import { del as deleteValue, get as getValue, promisifyRequest, set as setValue, type UseStore } from 'idb-keyval';

const DATABASE = APP.KEYVAL_DB_NAME;
const STORE = APP.KEYVAL_STORE_NAME;

let connection: Promise<IDBDatabase> | undefined;

function connect(): Promise<IDBDatabase> {
  const request = indexedDB.open(DATABASE);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  const opened = promisifyRequest(request).then((db) => {
    const forget = () => {
      if (connection === opened) connection = undefined;
    };
    db.onclose = forget;
    db.onversionchange = () => {
      db.close();
      forget();
    };
    return db;
  });
  opened.catch(() => {
    if (connection === opened) connection = undefined;
  });
  return opened;
}

const reopeningStore: UseStore = async (mode, callback) => {
  for (let attempt = 0; ; attempt++) {
    const current = (connection ??= connect());
    const db = await current;
    try {
      return await callback(db.transaction(STORE, mode).objectStore(STORE));
    } catch (error) {
      // A connection the browser is closing refuses new transactions before its close event.
      if (attempt > 0 || !(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      if (connection === current) connection = undefined;
    }
  }
};

export const get = <T>(key: IDBValidKey): Promise<T | undefined> => getValue<T>(key, reopeningStore);
export const set = (key: IDBValidKey, value: unknown): Promise<void> => setValue(key, value, reopeningStore);
export const del = (key: IDBValidKey): Promise<void> => deleteValue(key, reopeningStore);
