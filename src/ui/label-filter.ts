/**
 * The board filtered by one label: a live query of the label's notes (pinned first, in board
 * order) through the notes' label index, narrowed in memory by the search as typed; the filter is
 * remembered for the session, and a label deleted while shown (here or on another device) ends
 * it. Loaded when a filter is first shown, off the first paint.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Lane, type NoteRecord, type NotesDatabase } from '../db/database.js';
import { notesWithLabel } from '../db/labels.js';
import { matchesSearch, type BoardWindow } from '../db/queries.js';
import { APP } from '../constants.js';
import type { LabelsController } from './labels-controller.js';
import { LiveQueryController } from './live-query-controller.js';

export class LabelFilterQuery implements ReactiveController {
  private readonly query: LiveQueryController<NoteRecord[]>;
  private last: { source: NoteRecord[]; search: string; result: BoardWindow } | undefined;

  constructor(
    host: ReactiveControllerHost,
    onError: (error: unknown) => void,
    private readonly labels: LabelsController,
  ) {
    this.query = new LiveQueryController(host, onError);
    host.addController(this);
  }

  /** Before each render: the label shown was deleted, so the board shows every note again. */
  hostUpdate(): void {
    const { filter, byId } = this.labels;
    if (filter && byId && !byId.has(filter)) this.labels.show(undefined);
  }

  /** Reads the notes of label `id` in `db` from now on (nothing when either is undefined). */
  read(db: NotesDatabase | undefined, id: string | undefined): void {
    try {
      if (id) sessionStorage.setItem(APP.LABEL_FILTER_KEY, id);
      else sessionStorage.removeItem(APP.LABEL_FILTER_KEY);
    } catch {
      // Not remembered: the filter still applies in this page.
    }
    this.query.setQuery(db && id ? () => notesWithLabel(db, id) : undefined);
  }

  /** The label's notes narrowed by `search`; undefined until first read. */
  content(search: string): BoardWindow | undefined {
    const source = this.query.value;
    if (!source) return undefined;
    const last = this.last;
    if (last && last.source === source && last.search === search) return last.result;
    const notes = search.trim() ? source.filter((note) => matchesSearch(note, search)) : source;
    const result = { total: notes.length, offset: 0, notes, pinned: notes.filter((note) => note.lane === Lane.pinned).length };
    this.last = { source, search, result };
    return result;
  }
}
