/**
 * The person's labels for the shell: one small live query of every label (the cards' chips need
 * their names at first paint), and which label the board is filtered by. The filter's own query,
 * and remembering it for the session, load with its first use (label-filter.ts), off the first paint.
 */
import type { ReactiveControllerHost } from 'lit';
import type { LabelRecord, NotesDatabase } from '../db/database.js';
import type { BoardWindow } from '../db/queries.js';
import type { FirstWindow } from '../db/first-window.js';
import { LiveQueryController } from './live-query-controller.js';
import { APP } from '../constants.js';
import type { LabelFilterQuery } from './label-filter.js';

export class LabelsController {
  private readonly query: LiveQueryController<LabelRecord[]>;
  private db: NotesDatabase | undefined;
  private memo: { source: LabelRecord[]; byId: Map<string, LabelRecord> } | undefined;
  private filterQuery: Promise<LabelFilterQuery> | undefined;
  private loadedFilter: LabelFilterQuery | undefined;
  /** The label the board is filtered by (this session's, at first), or undefined for every note. */
  filter: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onError: (error: unknown) => void,
  ) {
    this.query = new LiveQueryController(host, onError);
    // Reading sessionStorage is not refused to a top-level page (writing may be: label-filter.ts).
    this.filter = sessionStorage.getItem(APP.LABEL_FILTER_KEY) ?? undefined;
  }

  /** The database named `name` is opening (see showStartRead). */
  opening(name: string): void {
    this.query.opening(name);
  }

  /** The labels read at the start (start-reads.ts), shown while their database opens (see BoardController). */
  showStartRead(read: FirstWindow): void {
    this.query.showEarly(read.name, read.labels as LabelRecord[]);
  }

  setDatabase(db: NotesDatabase | undefined): void {
    this.db = db;
    this.query.setDatabaseQuery(db?.name, db && (() => db.labels.toArray()));
    this.show(this.filter);
  }

  /** Filters the board by `id` (undefined: every note again). */
  show(id: string | undefined): void {
    this.filter = id;
    if (!id && !this.filterQuery) return;
    this.filterQuery ??= import('./label-filter.js').then(({ LabelFilterQuery }) => (this.loadedFilter = new LabelFilterQuery(this.host, this.onError, this)));
    this.filterQuery.then((query) => query.read(this.db, this.filter), this.onError);
    this.host.requestUpdate();
  }

  /** Every label read, tombstones included (the lists sort them: sortedLabels). */
  get all(): readonly LabelRecord[] {
    return this.query.value ?? [];
  }

  /** Live labels by id, for the cards' chips (undefined until first read). */
  get byId(): ReadonlyMap<string, LabelRecord> | undefined {
    const source = this.query.value;
    if (source && this.memo?.source !== source) this.memo = { source, byId: new Map(source.filter((label) => !label.deleted).map((label) => [label.id, label])) };
    return source && this.memo?.byId;
  }

  /** The label the board is filtered by, once read. */
  get shown(): LabelRecord | undefined {
    return this.filter ? this.byId?.get(this.filter) : undefined;
  }

  /** The filtered board, pinned first, narrowed by the search as typed; undefined until read. */
  content(search: string): BoardWindow | undefined {
    return this.loadedFilter?.content(search);
  }
}
