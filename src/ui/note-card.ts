/**
 * One sticky note on the board or in the trash: its text, to-do tick, pin, color and trash
 * controls, and inline editing with debounced saves. Text is always rendered as text, never markup.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { APP } from '../constants.js';
import type { NoteRecord } from '../db/database.js';
import { NOTE_COLORS, checkNoteText, noteTitle, tooLongMessage, type NoteColor } from '../shared/note.js';
import { checkIcon, paletteIcon, pinIcon, trashIcon } from './icons.js';
import type { BoardMode, NoteActions } from './note-actions.js';
import { noteColorStyles, sharedStyles } from './shared-styles.js';

const COLOR_NAMES: Record<NoteColor, string> = {
  yellow: 'Yellow',
  green: 'Green',
  pink: 'Pink',
  purple: 'Purple',
  blue: 'Blue',
  gray: 'Gray',
};

@customElement('note-card')
export class NoteCard extends LitElement {
  static override styles = [
    sharedStyles,
    noteColorStyles,
    css`
      :host {
        display: block;
        height: 100%;
      }
      article {
        display: flex;
        flex-direction: column;
        height: 100%;
        border-radius: var(--rn-radius);
        background: var(--note-bg);
        color: var(--rn-note-ink);
        box-shadow: var(--rn-shadow);
        overflow: hidden;
        position: relative;
      }
      article.editing {
        box-shadow: var(--rn-shadow-raised);
      }
      .body {
        flex: 1;
        min-height: 0;
        padding: 14px 14px 4px;
        cursor: text;
        overflow: hidden;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        line-height: 1.4;
        mask-image: linear-gradient(to bottom, black 75%, transparent);
      }
      .done .body {
        text-decoration: line-through;
        opacity: 0.65;
      }
      .empty {
        opacity: 0.55;
        font-style: italic;
      }
      textarea {
        flex: 1;
        min-height: 0;
        margin: 8px 8px 0;
        padding: 6px;
        border: none;
        border-radius: 8px;
        resize: none;
        font: inherit;
        line-height: 1.4;
        color: inherit;
        background: color-mix(in srgb, var(--note-bg) 80%, white 20%);
      }
      .problem {
        margin: 4px 10px 0;
        color: var(--rn-error-on-note);
        font-size: 0.8rem;
        font-weight: 600;
      }
      footer {
        display: flex;
        align-items: center;
        gap: 2px;
        padding: 2px 6px 6px;
      }
      footer .spacer {
        flex: 1;
      }
      .pin-mark {
        position: absolute;
        top: 6px;
        right: 6px;
        opacity: 0.6;
      }
      .icon-button {
        min-width: 32px;
        min-height: 32px;
      }
      .palette {
        position: absolute;
        left: 8px;
        right: 8px;
        bottom: 46px;
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        padding: 8px;
        border-radius: 12px;
        background: var(--rn-surface);
        box-shadow: var(--rn-shadow-raised);
      }
      .swatch {
        width: 30px;
        height: 30px;
        border-radius: 50%;
        border: 2px solid var(--rn-border);
        background: var(--note-bg);
      }
      .swatch[aria-checked='true'] {
        border-color: var(--rn-on-surface);
        box-shadow: inset 0 0 0 2px var(--rn-surface);
      }
      label.done-toggle {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        padding: 0 6px;
        min-height: 36px;
        font-size: 0.85rem;
        cursor: pointer;
      }
      input[type='checkbox'] {
        width: 18px;
        height: 18px;
        accent-color: var(--rn-accent);
      }
    `,
  ];

  @property({ attribute: false }) note!: NoteRecord;
  @property({ attribute: false }) actions!: NoteActions;
  @property() mode: BoardMode = 'board';
  @property({ type: Boolean, reflect: true }) editing = false;

  @state() private _draft = '';
  @state() private _problem = '';
  @state() private _paletteOpen = false;
  /** Set after Esc on a draft that cannot be saved: a second Esc discards it. */
  @state() private _discardArmed = false;

  @query('textarea') private _textarea?: HTMLTextAreaElement;
  @query('article') private _article?: HTMLElement;

  private _saveTimer: ReturnType<typeof setTimeout> | undefined;

  override focus(): void {
    this._article?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this._flush();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('editing') && this.editing) {
      this._draft = this.note.text;
      this._problem = '';
      this._discardArmed = false;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('editing') && this.editing && this._textarea) {
      const textarea = this._textarea;
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    }
  }

  override render() {
    const note = this.note;
    const label = `${note.pinned ? 'Pinned note' : 'Note'}${note.done ? ', done' : ''}: ${noteTitle(note.text)}`;
    return html`
      <article
        data-color=${note.color}
        class=${[this.editing ? 'editing' : '', note.done ? 'done' : ''].join(' ')}
        tabindex="0"
        aria-label=${label}
        @keydown=${this._onCardKeydown}
        @focusout=${this._onFocusOut}
      >
        ${note.pinned && !this.editing ? html`<span class="pin-mark" aria-hidden="true">${pinIcon}</span>` : nothing}
        ${this.editing ? this._renderEditor() : this._renderBody()}
        ${this._paletteOpen ? this._renderPalette() : nothing}
        <footer>${this.mode === 'trash' ? this._renderTrashActions() : this._renderBoardActions()}</footer>
      </article>
    `;
  }

  private _renderBody() {
    const interactive = this.mode === 'board';
    return html`<div
      class="body ${this.note.text ? '' : 'empty'}"
      @click=${interactive ? this._startEditing : nothing}
    >${this.note.text || 'Empty note'}</div>`;
  }

  private _renderEditor() {
    return html`
      <textarea
        aria-label="Note text"
        aria-invalid=${this._problem ? 'true' : 'false'}
        aria-describedby="problem"
        .value=${this._draft}
        @input=${this._onInput}
        @keydown=${this._onEditorKeydown}
      ></textarea>
      <div id="problem" class="problem" role="alert">${this._problem}</div>
    `;
  }

  private _renderPalette() {
    return html`<div class="palette" role="radiogroup" aria-label="Note color" @keydown=${this._onPaletteKeydown}>
      ${NOTE_COLORS.map(
        (color) => html`<button
          class="swatch"
          role="radio"
          data-color=${color}
          aria-checked=${color === this.note.color ? 'true' : 'false'}
          aria-label=${COLOR_NAMES[color]}
          title=${COLOR_NAMES[color]}
          @click=${() => this._setColor(color)}
        ></button>`,
      )}
    </div>`;
  }

  private _renderBoardActions() {
    const note = this.note;
    return html`
      <label class="done-toggle">
        <input type="checkbox" .checked=${note.done} @change=${this._toggleDone} />
        Done
      </label>
      <span class="spacer"></span>
      ${this.editing
        ? html`<button class="icon-button" @click=${this._finishEditing} aria-label="Finish editing" title="Finish editing (Esc)">${checkIcon}</button>`
        : nothing}
      <button
        class="icon-button"
        aria-pressed=${note.pinned ? 'true' : 'false'}
        aria-label=${note.pinned ? 'Unpin' : 'Pin'}
        title=${note.pinned ? 'Unpin' : 'Pin'}
        @click=${() => this.actions.update(note.id, { pinned: !note.pinned })}
      >${pinIcon}</button>
      <button
        class="icon-button"
        aria-haspopup="true"
        aria-expanded=${this._paletteOpen ? 'true' : 'false'}
        aria-label="Change color"
        title="Change color"
        @click=${() => (this._paletteOpen = !this._paletteOpen)}
      >${paletteIcon}</button>
      <button class="icon-button" aria-label="Move to trash" title="Move to trash" @click=${this._trash}>${trashIcon}</button>
    `;
  }

  private _renderTrashActions() {
    return html`
      <span class="spacer"></span>
      <button class="text-button" @click=${() => this.actions.restore(this.note.id)}>Restore</button>
      <button class="text-button" @click=${() => this.actions.deleteForever(this.note.id)}>Delete forever</button>
    `;
  }

  private _startEditing = () => {
    if (this.mode === 'board' && !this.editing) this.actions.startEditing(this.note);
  };

  private _finishEditing = async () => {
    if (this._problem) return;
    if (await this._flush()) this.actions.stopEditing();
  };

  private _onInput = (event: InputEvent) => {
    this._draft = (event.target as HTMLTextAreaElement).value;
    this._discardArmed = false;
    const problem = checkNoteText(this._draft);
    this._problem = problem ? tooLongMessage(problem.length) : '';
    clearTimeout(this._saveTimer);
    // An over-long draft is never saved cut short: it waits, unsaved, until it fits again.
    if (!problem) this._saveTimer = setTimeout(() => void this._flush(), APP.SAVE_DEBOUNCE_MS);
  };

  /** Saves the draft now if it differs from the note; false when it cannot be saved. */
  private async _flush(): Promise<boolean> {
    clearTimeout(this._saveTimer);
    this._saveTimer = undefined;
    if (!this.editing || this._draft === this.note.text) return true;
    if (checkNoteText(this._draft)) return false;
    return this.actions.update(this.note.id, { text: this._draft });
  }

  private _onEditorKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    if (!this._problem) {
      void this._finishEditing();
    } else if (this._discardArmed) {
      this._problem = '';
      this._draft = this.note.text;
      this.actions.stopEditing();
    } else {
      this._discardArmed = true;
      this._problem = `${this._problem} Press Esc again to discard your changes.`;
    }
  };

  private _onCardKeydown = (event: KeyboardEvent) => {
    if (event.target !== this._article) return;
    if (event.key === 'Enter' && this.mode === 'board') {
      event.preventDefault();
      this._startEditing();
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && this.mode === 'board') {
      event.preventDefault();
      this._trash();
    }
  };

  private _onPaletteKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this._paletteOpen = false;
      this.focus();
    }
  };

  /** Leaving the card by focus ends editing, once what was typed is saved. */
  private _onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    if (next && this.renderRoot.contains(next)) return;
    this._paletteOpen = false;
    if (this.editing && !this._problem) void this._finishEditing();
  };

  private _setColor(color: NoteColor) {
    this._paletteOpen = false;
    this.actions.update(this.note.id, { color });
  }

  private _toggleDone = (event: Event) => {
    this.actions.update(this.note.id, { done: (event.target as HTMLInputElement).checked });
  };

  private _trash = async () => {
    await this._flush();
    this.actions.trash(this.note.id);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'note-card': NoteCard;
  }
}
