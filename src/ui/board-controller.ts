/**
 * What the board, the archive and the trash show, for the shell: live queries of the open
 * database (each a reactive controller of the shell) for the window of the board in view (read in
 * pages, with a page of margin either side), every board note and then every archived one while
 * a search is typed (search filters in memory, and finds archived notes after the board's), the
 * archive while it is shown, the trash and the open-note count.
 */
import type { ReactiveControllerHost } from 'lit';
import { APP } from '../constants.js';
import type { NoteRecord, NotesDatabase } from '../db/database.js';
import {
  archivedNotes,
  boardIndexOf,
  boardWindow,
  countOpenNotes,
  matchesSearch,
  searchableNotes,
  trashedNotes,
  type BoardWindow,
} from '../db/queries.js';
import type { FirstWindow } from '../db/first-window.js';
import { LiveQueryController } from './live-query-controller.js';
import type { BoardMode } from './note-actions.js';

const FIRST_WINDOW = { offset: 0, limit: APP.BOARD_WINDOW_PAGE_NOTES * 3 } as const;
/** Nothing to show (yet). */
export const EMPTY: BoardWindow = { total: 0, offset: 0, notes: [] };

export class BoardController {
  /** The search as typed; an empty or blank one shows the board window. */
  search = '';
  private db: NotesDatabase | undefined;
  private window: { offset: number; limit: number } = { ...FIRST_WINDOW };
  private readonly windowQuery: LiveQueryController<BoardWindow>;
  /** Every board note, read only while a search is typed (it looks at all of them). */
  private readonly searchQuery: LiveQueryController<NoteRecord[]>;
  private readonly openCountQuery: LiveQueryController<number>;
  private readonly trashQuery: LiveQueryController<NoteRecord[]>;
  /** The archive, read only while its view is shown (a cold start on the board never reads it). */
  private readonly archiveQuery: LiveQueryController<NoteRecord[]>;
  private view: BoardMode = 'board';
  private lastFiltered: { source: NoteRecord[] | undefined; search: string; result: BoardWindow } | undefined;

  constructor(host: ReactiveControllerHost, onError: (error: unknown) => void) {
    this.windowQuery = new LiveQueryController(host, onError);
    this.searchQuery = new LiveQueryController(host, onError);
    this.openCountQuery = new LiveQueryController(host, onError);
    this.trashQuery = new LiveQueryController(host, onError);
    this.archiveQuery = new LiveQueryController(host, onError);
  }

  /** The database named `name` is opening (see showStartRead). */
  opening(name: string): void {
    this.windowQuery.opening(name);
  }

  /** Whether the board shows what the start read of the database now opening, before its own query answers. */
  get showsStartRead(): boolean {
    return this.windowQuery.showsEarly;
  }

  /**
   * A cold start shows the first notes read at the start (start-reads.ts) while their database
   * opens, if it is still the one opening and nothing newer was read.
   */
  showStartRead(read: FirstWindow): void {
    this.windowQuery.showEarly(read.name, { total: read.total, pinned: read.pinned, offset: 0, notes: read.notes as NoteRecord[] });
  }

  /** Reads from `db` from now on (undefined: from nothing, while another database opens). */
  setDatabase(db: NotesDatabase | undefined): void {
    this.db = db;
    this.window = { ...FIRST_WINDOW };
    const { offset, limit } = this.window;
    this.windowQuery.setDatabaseQuery(db?.name, db && (() => boardWindow(db, offset, limit)));
    this.openCountQuery.setQuery(db && (() => countOpenNotes(db)));
    this.searchQuery.setQuery(db && this.searching ? () => searchableNotes(db) : undefined);
    this.trashQuery.setQuery(db && (() => trashedNotes(db)));
    this.archiveQuery.setQuery(db && this.view === 'archive' ? () => archivedNotes(db) : undefined);
  }

  /** The view shown from now on: the archive is read while it is shown. */
  setView(view: BoardMode): void {
    if (view === this.view) return;
    this.view = view;
    const db = this.db;
    this.archiveQuery.setQuery(db && view === 'archive' ? () => archivedNotes(db) : undefined);
  }

  get searching(): boolean {
    return this.search.trim() !== '';
  }

  setSearch(value: string): void {
    const wasSearching = this.searching;
    this.search = value;
    const db = this.db;
    if (this.searching === wasSearching || !db) return;
    this.searchQuery.setQuery(this.searching ? () => searchableNotes(db) : undefined);
  }

  /** The board shows cards `first` to `last`: read them in pages, with a page of margin either side. */
  showRange(first: number, last: number): void {
    const page = APP.BOARD_WINDOW_PAGE_NOTES;
    const offset = Math.max(0, Math.floor(first / page) * page - page);
    const limit = Math.ceil((last + 1) / page) * page + page - offset;
    if (offset === this.window.offset && limit === this.window.limit) return;
    this.window = { offset, limit };
    const db = this.db;
    if (db) this.windowQuery.setQuery(() => boardWindow(db, offset, limit), { keepValue: true });
  }

  /** Resolves once the board's first window has been read (or could not be): what the first notes paint waits for. */
  get firstWindowRead(): Promise<void> {
    return this.windowQuery.firstAnswer;
  }

  /** The board notes in the window read (where a note that just arrived shows up first). */
  get windowNotes(): readonly NoteRecord[] | undefined {
    return this.windowQuery.value?.notes;
  }

  get openCount(): number | undefined {
    return this.openCountQuery.value;
  }

  get trashCount(): number {
    return this.trashQuery.value?.length ?? 0;
  }

  /**
   * What `view` shows: a window of the board, or (searching, in the archive or in the trash)
   * every matching note, filtered in memory as the person types and memoized per input.
   */
  content(view: BoardMode): BoardWindow {
    if (view === 'board' && !this.searching) return this.windowQuery.value ?? EMPTY;
    const source = view === 'board' ? this.searchQuery.value : view === 'archive' ? this.archiveQuery.value : this.trashQuery.value;
    const last = this.lastFiltered;
    if (last && last.source === source && last.search === this.search) return last.result;
    const notes = this.searching ? (source ?? []).filter((note) => matchesSearch(note, this.search)) : (source ?? []);
    const result = { total: notes.length, offset: 0, notes };
    this.lastFiltered = { source, search: this.search, result };
    return result;
  }

  /** Where the note `id` is among what `view` shows, or -1; on the board it may be outside the window read. */
  async indexOf(view: BoardMode, id: string): Promise<number> {
    const content = this.content(view);
    const index = content.notes.findIndex((note) => note.id === id);
    if (index >= 0) return index + content.offset;
    if (view === 'board' && !this.searching && this.db) return boardIndexOf(this.db, id);
    return -1;
  }
}
