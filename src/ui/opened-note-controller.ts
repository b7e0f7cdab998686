/**
 * The opened note (note-editor.ts): which note is open and from which view, followed live so a
 * change synced from another device shows while it is open. The editor's module is fetched just
 * after first paint (prefetch), so a first click opens it at once without counting against the
 * first-paint budget.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { LabelRecord, NoteRecord, NotesDatabase } from '../db/database.js';
import type { LabelActions } from './label-actions.js';
import { noteById } from '../db/queries.js';
import { afterNextPaint } from './after-paint.js';
import { LiveQueryController } from './live-query-controller.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import type { NoteClosedDetail } from './note-editor.js';

export class OpenedNoteController {
  /** The note as it was when opened (shown until its live query answers) and its view. */
  private _opened: { note: NoteRecord; mode: BoardMode } | undefined;
  private readonly _live: LiveQueryController<NoteRecord | undefined>;

  constructor(
    private readonly host: ReactiveControllerHost,
    report: (error: unknown) => void,
    /** Where focus goes once the note closes: its card. */
    private readonly focusNote: (id: string) => Promise<void>,
  ) {
    this._live = new LiveQueryController(host, report);
  }

  get isOpen(): boolean {
    return this._opened !== undefined;
  }

  prefetch(): void {
    setTimeout(() => void import('./note-editor.js').catch(() => undefined), 0);
  }

  /**
   * Opens `note` as the card holds it: it is painted from that record at once, and followed live
   * (an IndexedDB read, whose first answer is what the card already showed) only from the task
   * after that frame, so the read is not on the path from the click to the paint.
   */
  async open(db: NotesDatabase, note: NoteRecord, mode: BoardMode): Promise<void> {
    if (this._opened) return;
    const opened = { note, mode };
    this._opened = opened;
    this.host.requestUpdate();
    afterNextPaint(() => {
      if (this._opened === opened) this._live.setQuery(() => noteById(db, note.id));
    });
    await import('./note-editor.js');
  }

  /** Forgets the opened note without saving anything more (another view, another database). */
  forget(): void {
    if (!this._opened) return;
    this._opened = undefined;
    this._live.setQuery(undefined);
    this.host.requestUpdate();
  }

  private readonly _onClosed = (event: CustomEvent<NoteClosedDetail>) => {
    if (this._opened?.note.id !== event.detail.id) return;
    this.forget();
    void this.focusNote(event.detail.id);
  };

  render(actions: NoteActions, labels: readonly LabelRecord[] | undefined, labelActions: LabelActions | undefined, signedIn: boolean) {
    const opened = this._opened;
    if (!opened) return nothing;
    const note = this._live.value ?? opened.note;
    return html`<note-editor
      .note=${note}
      .mode=${opened.mode}
      .actions=${actions}
      .labels=${labels ?? []}
      .labelActions=${labelActions}
      .signedIn=${signedIn}
      @note-closed=${this._onClosed}
    ></note-editor>`;
  }
}
