/**
 * Where a note shows up, stored so compound indexes serve each section in order: [lane+order] the
 * board's two sections (lanes 0-1), [lane+updatedAt] the trash (lane 2) and the archive (lane 4);
 * IndexedDB cannot index booleans. The archive took the next free number, so every note stored
 * before it kept its lane and no upgrade rewrote them (none of them is archived).
 *
 * A module of its own, with no Dexie, so the start's first read (first-window.ts), which runs
 * before Dexie is evaluated, reads the same lanes and index as the app's queries.
 */
export const Lane = { pinned: 0, board: 1, trash: 2, deleted: 3, archive: 4 } as const;
export type Lane = (typeof Lane)[keyof typeof Lane];

/** The index that orders the board's two sections: lane, then the note's order key. */
export const BOARD_ORDER_INDEX = '[lane+order]';

/**
 * The lowest and the highest key an index component can hold, as Dexie.minKey and Dexie.maxKey
 * (an empty array within an array sorts after every other key): the queries that run in the
 * first paint's code name a whole lane's range without Dexie, which loads when the database opens.
 */
export const MIN_KEY = -Infinity;
export const MAX_KEY: never[][] = [[]];
