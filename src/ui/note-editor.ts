/**
 * The opened note: a modal dialog on wide screens, a full-screen sheet on phones, where a note is
 * read and written whole. A title line and a body that grows with its text (the sheet scrolls,
 * never the text field), saved while typing (debounced) and on closing, and every note action.
 * Esc, the close button, a click outside the dialog and the browser's back button close it (it
 * pushes a history entry when it opens, and takes it back when closed any other way, so no stale
 * entry remains). Loaded on first use; the shell renders it while a note is open and removes it on
 * `note-closed`.
 */
import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { APP } from '../constants.js';
import type { NoteRecord } from '../db/database.js';
import { MAX_TITLE_LENGTH, NOTE_COLORS, checkNoteText, checklistProblem, joinTitle, newNoteId, noteTitle, sameValue, splitTitle, tooLongMessage, type ChecklistItem } from '../shared/note.js';
import type { ActionMenu, MenuEntry } from './action-menu.js';
import './action-menu.js';
import { archiveIcon, labelIcon, pinIcon, trashIcon } from './icons.js';
import { closeIcon, paletteIcon, unarchiveIcon } from './later-icons.js';
import type { LabelRecord } from '../db/database.js';
import type { LabelActions } from './label-actions.js';
import './label-picker.js';
import type { NoteLabels } from './label-picker.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import { COLOR_NAMES } from './note-card.js';
import { caretAfterChange } from './caret.js';
import { FIELDS_SIZE_THEMSELVES, fitFieldsToText, refitWhenWidthChanges } from './field-sizing.js';
import { mergeChecklists } from '../db/checklist-merge.js';
import { mergeTexts } from '../db/text-merge.js';
import './note-checklist.js';
import './reminder-chip.js';
import { reminderIcon } from './reminder-chip.js';
import './reminder-dialog.js';
import { SNOOZE_MS } from '../db/reminders.js';
import { isRinging, reminderDone, reminderSnoozed, type Reminder } from '../shared/reminder.js';
import type { ReminderChangeDetail, ReminderDialog } from './reminder-dialog.js';
import type { ItemsChangeEvent, NoteChecklist } from './note-checklist.js';
import { noteEditorStyles } from './note-editor-styles.js';
import { growingFieldStyles } from './text-field-styles.js';
import { OpenedNoteHistory } from './opened-note-history.js';
import { noteColorStyles, sharedStyles } from './shared-styles.js';

const listIcon = svg`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="currentColor"><path d="M19 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm0 16H5V5h14v14zM17.99 9l-1.41-1.42-6.59 6.59-2.58-2.57-1.42 1.41 4 3.99z"/></svg>`;
const textIcon = svg`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="currentColor"><path d="M4 6h16v2H4zm0 5h16v2H4zm0 5h10v2H4z"/></svg>`;

/** Which note closed: the shell gives focus back to its card. */
export interface NoteClosedDetail {
  id: string;
}

@customElement('note-editor')
export class NoteEditor extends LitElement {
  static override styles = [sharedStyles, noteColorStyles, growingFieldStyles, noteEditorStyles];

  @property({ attribute: false }) note!: NoteRecord;
  @property({ attribute: false }) actions!: NoteActions;
  @property() mode: BoardMode = 'board';
  /** Every label read (the note's chips and its picker). */
  @property({ attribute: false }) labels: readonly LabelRecord[] = [];
  @property({ attribute: false }) labelActions: LabelActions | undefined;
  /** Whether the notes are an account's (the reminder dialog says where reminders ring). */
  @property({ type: Boolean }) signedIn = false;

  @state() private _title = '';
  @state() private _body = '';
  /** The checklist as shown (and typed); a note with items is a list. */
  @state() private _items: ChecklistItem[] = [];
  @state() private _problem = '';
  @state() private _menuOpen = false;
  /** Set after closing was asked with text that cannot be saved: asking again discards it. */
  @state() private _discardArmed = false;

  @query('dialog') private _dialog!: HTMLDialogElement;
  @query('.scroll') private _scroll!: HTMLElement;
  @query('.title') private _titleField!: HTMLTextAreaElement;
  @query('.body') private _bodyField!: HTMLTextAreaElement;
  @query('.palette-button') private _paletteButton?: HTMLElement;
  @query('action-menu') private _menu?: ActionMenu;
  @query('note-labels') private _labels!: NoteLabels;
  @query('reminder-dialog') private _reminderDialog!: ReminderDialog;

  /** Where the caret starts: at the end of the body, or of the title when there is no body. */
  private _startInBody = false;
  /** Typed since the last save (the draft is what counts, not the stored text). */
  private _dirty = false;
  /** The note's text and checklist the unsaved draft was made from: a change from elsewhere since is merged into it. */
  private _draftFrom: { text: string; items: ChecklistItem[] } = { text: '', items: [] };
  private _saveTimer: ReturnType<typeof setTimeout> | undefined;
  private _closing = false;
  private readonly _history = new OpenedNoteHistory(
    this,
    () => this.note.id,
    () => void this.close({ save: true, fromHistory: true }),
  );
  private readonly _resizeObserver = refitWhenWidthChanges(() => this._fitAll());

  private get _readOnly(): boolean {
    return this.mode === 'trash';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resizeObserver?.disconnect();
    clearTimeout(this._saveTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A change from elsewhere (another tab or device) shows, unless it would overwrite typing.
    if (changed.has('note') && !this._dirty) {
      const { title, body } = splitTitle(this.note.text);
      this._title = title;
      this._body = body;
      this._items = this.note.items ?? [];
    }
    if (!this.hasUpdated) this._startInBody = this._body !== '';
  }

  /**
   * Opening is on the path from the click to the frame that shows the note, so it does only what
   * that frame needs: showModal() focuses the field marked autofocus itself (a focus() after it
   * would move focus a second time, with a style and layout pass each), and the history entry
   * waits until the note is painted.
   */
  protected override firstUpdated(): void {
    this._dialog.showModal();
    this._history.pushAfterPaint();
    this._fitAll();
    this._resizeObserver?.observe(this._scroll);
    // Setting a field's value put its caret at the end already; this keeps it there if a browser did not.
    const field = this._startInBody ? this._bodyField : this._titleField;
    if (field.selectionStart !== field.value.length) field.setSelectionRange(field.value.length, field.value.length);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('note')) {
      // Archived or not, a note opened from the board (search finds archived ones) or the archive stays open until trashed.
      const gone = this.note.deleted || (this.mode !== 'trash' && this.note.trashed) || (this.mode === 'trash' && !this.note.trashed);
      if (gone) void this.close({ save: false });
      else this._fitAll();
    }
  }

  override render() {
    const note = this.note;
    return html`<dialog
      data-color=${note.color}
      class=${note.done ? 'done' : ''}
      aria-label=${`Note: ${noteTitle(joinTitle(this._title, this._body) || (this._items[0]?.text ?? ''))}`}
      @cancel=${this._onCancel}
      @close=${this._onDialogClosed}
      @click=${this._onDialogClick}
    >
      <div class="bar">
        <button class="icon-button close" aria-label="Close" title="Close (Esc)" @click=${() => void this.close({ save: true })}>
          ${closeIcon}
        </button>
        <span class="spacer"></span>
        ${this._readOnly
          ? nothing
          : html`${note.reminder
                ? html`<button class="reminder" aria-haspopup="dialog" title="Change the reminder" @click=${this._openReminder}>
                    <reminder-chip .reminder=${note.reminder}></reminder-chip>
                  </button>`
                : html`<button class="icon-button reminder-button" aria-haspopup="dialog" aria-label="Remind me" title="Remind me" @click=${this._openReminder}>${reminderIcon}</button>`}
              <button
              class="icon-button"
              aria-pressed=${note.pinned ? 'true' : 'false'}
              aria-label=${note.pinned ? 'Unpin' : 'Pin'}
              title=${note.pinned ? 'Unpin' : 'Pin'}
              @click=${() => void this.actions.update(note.id, { pinned: !note.pinned })}
            >${pinIcon}</button>`}
      </div>
      <div class="scroll" @click=${this._onScrollClick}>
        <textarea
          class="title"
          rows="1"
          aria-label="Title"
          placeholder="Title"
          ?readonly=${this._readOnly}
          ?autofocus=${!this._startInBody}
          .value=${this._title}
          @input=${this._onTitleInput}
          @keydown=${this._onTitleKeydown}
        ></textarea>
        ${this._items.length
          ? html`<note-checklist .items=${this._items} ?readonly=${this._readOnly} @items-change=${this._onItemsChange}></note-checklist>`
          : nothing}
        <textarea
          class=${this._items.length ? 'body beside-list' : 'body'}
          aria-label="Note text"
          placeholder=${this._readOnly || this._items.length ? '' : 'Note'}
          aria-invalid=${this._problem ? 'true' : 'false'}
          aria-describedby="problem"
          ?readonly=${this._readOnly}
          ?autofocus=${this._startInBody}
          .value=${this._body}
          @input=${this._onBodyInput}
        ></textarea>
        <div id="problem" class="problem" role="alert">${this._problem}</div>
        <note-labels .noteId=${note.id} .noteLabels=${note.labels ?? []} .labels=${this.labels} .actions=${this.labelActions} ?readonly=${this._readOnly}></note-labels>
        ${!this._readOnly && isRinging(note.reminder, Date.now())
          ? html`<div class="reminder-row" role="group" aria-label="The reminder rang">
              <button class="text-button" @click=${() => this._settleReminder(reminderDone(note.reminder!, Date.now()))}>Done</button>
              <button class="text-button" @click=${() => this._settleReminder(reminderSnoozed(note.reminder!, Date.now() + SNOOZE_MS))}>Snooze 1 hour</button>
            </div>`
          : nothing}
      </div>
      <reminder-dialog .reminder=${note.reminder ?? null} .signedIn=${this.signedIn} @reminder-change=${this._onReminderChange}></reminder-dialog>
      <div class="bar">${this._readOnly ? this._renderTrashActions() : this._renderBoardActions()}</div>
    </dialog>`;
  }

  private _renderBoardActions() {
    const note = this.note;
    return html`
      <label class="done-toggle">
        <input type="checkbox" .checked=${note.done} @change=${this._toggleDone} />
        Done
      </label>
      <span class="spacer"></span>
      <button
        class="icon-button list-button"
        aria-label=${this._items.length ? 'Hide checkboxes' : 'Show checkboxes'}
        title=${this._items.length ? 'Hide checkboxes (the items become lines of text)' : 'Show checkboxes (the lines become list items)'}
        @click=${this._toggleList}
      >${this._items.length ? textIcon : listIcon}</button>
      <button class="icon-button labels-button" aria-haspopup="dialog" aria-label="Labels" title="Labels" @click=${() => void this._labels.openPicker()}>${labelIcon}</button>
      <button
        class="icon-button palette-button"
        aria-haspopup="menu"
        aria-expanded=${this._menuOpen ? 'true' : 'false'}
        aria-label="Change color"
        title="Change color"
        @click=${this._openPalette}
      >${paletteIcon}</button>
      ${this._menuOpen
        ? html`<action-menu label="Note color" .entries=${this._colorEntries()} @menu-closed=${() => (this._menuOpen = false)}></action-menu>`
        : nothing}
      <button
        class="icon-button archive-button"
        aria-label=${note.archived ? 'Unarchive' : 'Archive'}
        title=${note.archived ? 'Unarchive' : 'Archive'}
        @click=${this._archive}
      >${note.archived ? unarchiveIcon : archiveIcon}</button>
      <button class="icon-button" aria-label="Move to trash" title="Move to trash" @click=${this._trash}>${trashIcon}</button>
    `;
  }

  private _openReminder = () => void this._reminderDialog.open();

  private _onReminderChange = (event: CustomEvent<ReminderChangeDetail>) => {
    void this.actions.update(this.note.id, { reminder: event.detail.reminder });
  };

  /** The reminder rang and is answered here: done or snoozed, like a notification's buttons. */
  private _settleReminder(reminder: Reminder | null): void {
    void this.actions.update(this.note.id, { reminder });
  }

  private _renderTrashActions() {
    return html`
      <span class="spacer"></span>
      <button class="text-button" @click=${this._restore}>Restore</button>
      <button class="text-button" @click=${this._deleteForever}>Delete forever</button>
    `;
  }

  private _colorEntries(): MenuEntry[] {
    return NOTE_COLORS.map((color) => ({
      kind: 'color',
      color,
      label: COLOR_NAMES[color],
      checked: color === this.note.color,
      run: () => void this.actions.update(this.note.id, { color }),
    }));
  }

  /**
   * Saves what was typed and closes. Text that cannot be saved keeps the note open with its
   * message; asking to close a second time discards it (the stored note is untouched).
   */
  close(options: { save: boolean; fromHistory?: boolean }): Promise<void> {
    // One close at a time: Esc can reach us twice at once (the cancel event, and the browser's own
    // close when that cancel may not be prevented), and two runs would each go back in history.
    this._closeRun ??= this._close(options).finally(() => {
      if (!this._closing) this._closeRun = undefined; // refused (text too long): a later close may try again
    });
    return this._closeRun;
  }

  private _closeRun: Promise<void> | undefined;

  private async _close({ save, fromHistory = false }: { save: boolean; fromHistory?: boolean }): Promise<void> {
    if (this._closing) return;
    if (save && !(await this._flush())) {
      if (fromHistory) {
        // Back was pressed: the entry is gone, so put it back while the note stays open.
        this._history.push();
      }
      if (!this._problem || !this._discardArmed) {
        if (this._problem) {
          this._discardArmed = true;
          this._problem = `${this._problem} Close again to discard your changes.`;
        }
        return;
      }
    }
    this._closing = true;
    clearTimeout(this._saveTimer);
    if (this._dialog.open) this._dialog.close();
    if (!fromHistory) await this._history.takeBack();
    this.dispatchEvent(new CustomEvent<NoteClosedDetail>('note-closed', { detail: { id: this.note.id }, bubbles: true, composed: true }));
  }

  /** Esc: the dialog's cancel, turned into a close that saves first. */
  private _onCancel = (event: Event) => {
    event.preventDefault();
    void this.close({ save: true });
  };

  /**
   * The browser may close the dialog itself: Chromium fires a cancel that cannot be prevented for
   * a second Esc without a user activation in between (close watchers' abuse rule), say after Esc
   * closed a menu inside it. Such a close still saves and ends the opened note; if saving is
   * refused (too long), the note opens again with the reason.
   */
  private _onDialogClosed = () => {
    if (this._closing) return;
    void this.close({ save: true }).then(() => {
      if (!this._closing && !this._dialog.open) this._dialog.showModal();
    });
  };

  /** A click on the backdrop lands on the dialog element itself, outside its box. */
  private _onDialogClick = (event: MouseEvent) => {
    if (event.target !== this._dialog) return;
    const box = this._dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) void this.close({ save: true });
  };

  /** A tap in the empty part of the sheet below the text puts the caret at the end of the text. */
  private _onScrollClick = (event: MouseEvent) => {
    if (event.target !== this._scroll || this._readOnly) return;
    const end = this._bodyField.value.length;
    this._bodyField.focus();
    this._bodyField.setSelectionRange(end, end);
  };

  private _onTitleInput = (event: InputEvent) => {
    const field = event.target as HTMLTextAreaElement;
    // The title is one line: a pasted newline starts the body, with what followed it.
    const { title, body } = splitTitle(field.value);
    if (field.value.includes('\n')) {
      this._title = title;
      this._body = joinTitle(body, this._body);
      field.value = title;
      void this.updateComplete.then(() => {
        this._bodyField.focus();
        this._bodyField.setSelectionRange(body.length, body.length);
      });
    } else {
      this._title = field.value;
    }
    this._changed();
  };

  /** Enter in the title goes to the body, taking what follows the caret to the body's first line. */
  private _onTitleKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || event.isComposing || event.shiftKey) return;
    event.preventDefault();
    const field = event.target as HTMLTextAreaElement;
    const rest = field.value.slice(field.selectionEnd);
    if (rest !== '' || field.selectionStart !== field.selectionEnd) {
      this._title = field.value.slice(0, field.selectionStart);
      this._body = joinTitle(rest, this._body);
      this._changed();
    }
    void this.updateComplete.then(() => {
      this._bodyField.focus();
      this._bodyField.setSelectionRange(0, 0);
    });
  };

  private _onBodyInput = (event: InputEvent) => {
    this._body = (event.target as HTMLTextAreaElement).value;
    this._changed();
  };

  private _onItemsChange = (event: ItemsChangeEvent) => {
    this._items = event.detail;
    this._changed();
  };

  /** Shows checkboxes (each line of the body an item) or hides them (each item a line of the body). */
  private _toggleList = () => {
    if (this._items.length) {
      this._body = [this._body, ...this._items.map((item) => item.text)].filter((line) => line.trim() !== '').join('\n');
      this._items = [];
    } else {
      const lines = this._body.split('\n').filter((line) => line.trim() !== '');
      this._items = (lines.length ? lines : ['']).map((text) => ({ id: newNoteId(), text, done: false }));
      this._body = '';
      const last = this._items.at(-1)!;
      void this.updateComplete.then(() => this.renderRoot.querySelector<NoteChecklist>('note-checklist')?.focusItem(last.id));
    }
    this._changed();
  };

  /** Why the draft cannot be saved, in words, or ''. */
  private _draftProblem(): string {
    const problem = checkNoteText(joinTitle(this._title, this._body));
    if (problem) return tooLongMessage(problem.length);
    if (this._title.length > MAX_TITLE_LENGTH && this._title !== splitTitle(this._draftFrom.text).title) {
      return `The title is too long to save: ${this._title.length.toLocaleString('en-US')} of ${MAX_TITLE_LENGTH.toLocaleString('en-US')} characters. Shorten it, or press Enter in it to move the rest to the note.`;
    }
    return checklistProblem(this._items) ?? '';
  }

  private _changed(): void {
    if (!this._dirty) this._draftFrom = { text: this.note.text, items: this.note.items ?? [] };
    this._dirty = true;
    this._discardArmed = false;
    this._problem = this._draftProblem();
    clearTimeout(this._saveTimer);
    // An over-long draft is never saved cut short: it waits, unsaved, until it fits again.
    if (!this._problem) this._saveTimer = setTimeout(() => void this._flush(), APP.SAVE_DEBOUNCE_MS);
    void this.updateComplete.then(() => this._fitAll());
  }

  /** Saves the draft now if it was changed; false when it cannot be saved. */
  private async _flush(): Promise<boolean> {
    clearTimeout(this._saveTimer);
    this._saveTimer = undefined;
    if (!this._dirty) return true;
    let text = joinTitle(this._title, this._body);
    let items = this._items;
    // Changed in another tab or on another device while typing here: both are kept, merged as
    // sync merges two devices' edits, and the fields show the result.
    if (this.note.text !== this._draftFrom.text) {
      text = mergeTexts(this._draftFrom.text, text, this.note.text);
      this._showMerged(text);
    }
    const stored = this.note.items ?? [];
    if (!sameValue('items', stored, this._draftFrom.items)) items = this._items = mergeChecklists(this._draftFrom.items, items, stored);
    if (checkNoteText(text) || checklistProblem(items) || this._draftProblem()) return false;
    if (text === this.note.text && sameValue('items', items, stored)) {
      this._dirty = false;
      return true;
    }
    const saved = await this.actions.update(this.note.id, { text, items });
    if (saved) this._draftFrom = { text, items };
    // Typing during the save keeps the draft dirty for the next save.
    if (saved && joinTitle(this._title, this._body) === text && this._items === items) this._dirty = false;
    return saved;
  }

  /** Puts a merged text in the fields, the caret staying beside the words it was beside. */
  private _showMerged(text: string): void {
    const focused = [this._titleField, this._bodyField].find((field) => field && this.shadowRoot?.activeElement === field);
    const caret = focused && { field: focused, before: focused.value, at: focused.selectionStart };
    ({ title: this._title, body: this._body } = splitTitle(text));
    if (caret) {
      void this.updateComplete.then(() => {
        const at = caretAfterChange(caret.before, caret.field.value, caret.at);
        caret.field.setSelectionRange(at, at);
      });
    }
  }

  /**
   * Each text field is as tall as its text, so the sheet scrolls and the field never does
   * (src/ui/field-sizing.ts: CSS where the engine can, measured in WebKit). The sheet's scroll
   * position is kept while the fields are measured at their natural height.
   */
  private _fitAll(): void {
    if (FIELDS_SIZE_THEMSELVES || !this._titleField) return;
    const scrollTop = this._scroll.scrollTop;
    fitFieldsToText([this._titleField, this._bodyField]);
    this._scroll.scrollTop = scrollTop;
  }

  private _openPalette = async () => {
    if (this._menuOpen) {
      this._menu?.close(true);
      return;
    }
    this._menuOpen = true;
    await this.updateComplete;
    await this._menu?.show(this._paletteButton!);
  };

  private _toggleDone = (event: Event) => {
    void this.actions.update(this.note.id, { done: (event.target as HTMLInputElement).checked });
  };

  private _trash = async () => {
    await this.close({ save: true });
    if (this._closing) void this.actions.trash(this.note.id);
  };

  /** Archiving (or unarchiving) closes the note, saving what was typed, as a trash does. */
  private _archive = async () => {
    const archived = !this.note.archived;
    await this.close({ save: true });
    if (this._closing) void this.actions.archive(this.note.id, archived);
  };

  private _restore = async () => {
    await this.close({ save: false });
    void this.actions.restore(this.note.id);
  };

  private _deleteForever = async () => {
    await this.close({ save: false });
    void this.actions.deleteForever(this.note.id);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'note-editor': NoteEditor;
  }
}
