/**
 * A note's checklist in the opened note (note-editor.ts): the open items in their order, each
 * with its tick, its text and a button to remove it, then "N ticked items" collapsed at the
 * bottom. An item too long to save is the note's to say (it does not save until it fits). Enter in an item makes the next one (taking the text after the caret), Backspace at
 * the start of one removes it when empty and joins it to the one above otherwise, Alt+Up and Alt+Down move one, and the handle drags one with a mouse or a
 * finger. Each change is a new list, handed to the note with `items-change`; the note saves it.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { MAX_CHECKLIST_ITEMS, newNoteId, type ChecklistItem } from '../shared/note.js';
import { FIELDS_SIZE_THEMSELVES, fitFieldsToText } from './field-sizing.js';
import { growingFieldStyles } from './text-field-styles.js';

const dragIcon = svg`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="currentColor"><path d="M9 5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm6 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM9 10.5a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm6 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zM9 16a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm6 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z"/></svg>`;
const removeIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="currentColor"><path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/></svg>`;
const expandIcon = svg`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="currentColor"><path d="M7.41 8.59 12 13.17l4.59-4.58L18 10l-6 6-6-6z"/></svg>`;

/** The new list, after any change of the checklist. */
export type ItemsChangeEvent = CustomEvent<ChecklistItem[]>;

/** Says why no item can be added (the limit of src/shared/note.ts). */
const FULL_LIST_MESSAGE = `A list holds at most ${MAX_CHECKLIST_ITEMS} items: remove one to add another.`;

@customElement('note-checklist')
export class NoteChecklist extends LitElement {
  static override styles = [
    growingFieldStyles,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: flex;
        align-items: flex-start;
        gap: 2px;
        border-radius: 8px;
      }
      li.dragging {
        background: color-mix(in srgb, currentColor 10%, transparent);
      }
      .handle,
      .remove,
      .ticked-toggle,
      .add {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        min-width: 32px;
        min-height: 32px;
        padding: 0;
        border: none;
        border-radius: 50%;
        background: transparent;
        color: inherit;
        font: inherit;
        cursor: pointer;
      }
      .handle {
        cursor: grab;
        touch-action: none;
        color: var(--rn-note-ink-faded);
      }
      .remove {
        color: var(--rn-note-ink-faded);
      }
      .handle:focus-visible,
      .remove:focus-visible,
      .ticked-toggle:focus-visible,
      .add:focus-visible,
      input[type='checkbox']:focus-visible {
        outline: 2px solid var(--rn-accent);
        outline-offset: 1px;
      }
      /* The tick's target is its label, as large as the handle beside it. */
      label.tick {
        flex: none;
        display: inline-flex;
        align-items: center;
        justify-content: center;
        min-width: 32px;
        min-height: 32px;
        cursor: pointer;
      }
      input[type='checkbox'] {
        width: 18px;
        height: 18px;
        margin: 0;
        accent-color: var(--rn-accent);
        cursor: inherit;
      }
      textarea {
        flex: 1;
        min-width: 0;
      }
      .ticked textarea {
        text-decoration: line-through;
        color: var(--rn-note-ink-faded);
      }
      /* Each on a row of its own, lined up with the items' ticks. */
      .add,
      .ticked-toggle {
        display: flex;
        gap: 8px;
        border-radius: 8px;
        padding: 0 8px 0 var(--rn-handle-room, 32px);
        color: var(--rn-note-ink-faded);
      }
      /* Ticked items have no handle: the same room keeps their ticks under the open ones'. */
      .ticked li::before {
        content: '';
        flex: none;
        width: var(--rn-handle-room, 32px);
      }
      .ticked-toggle svg {
        transition: transform 0.15s;
      }
      .ticked-toggle[aria-expanded='true'] svg {
        transform: rotate(180deg);
      }
      .problem:empty {
        display: none;
      }
      .problem {
        color: var(--rn-danger, #b3261e);
        font-size: 0.9rem;
        padding: 4px 0;
      }
      @media (pointer: coarse) {
        :host {
          --rn-handle-room: 44px;
        }
        /* Text on the tick's line: the row is as tall as the 44-px targets. */
        textarea {
          padding: 10px 0;
        }
        .handle,
        .remove,
        .ticked-toggle,
        .add {
          min-width: 44px;
          min-height: 44px;
        }
        label.tick {
          min-width: 44px;
          min-height: 44px;
        }
        input[type='checkbox'] {
          width: 24px;
          height: 24px;
        }
      }
    `,
  ];

  @property({ attribute: false }) items: ChecklistItem[] = [];
  @property({ type: Boolean }) readonly = false;

  @state() private _showTicked = false;
  @state() private _problem = '';
  /** The item being dragged by its handle, if any. */
  @state() private _dragging: string | undefined;

  /** Puts the caret in an item (by id) once the list shows it: at `at`, or at its end. */
  focusItem(id: string, at?: number): void {
    void this.updateComplete.then(() => {
      const field = this.renderRoot.querySelector<HTMLTextAreaElement>(`li[data-item="${CSS.escape(id)}"] textarea`);
      if (!field) return;
      field.focus();
      const caret = at ?? field.value.length;
      field.setSelectionRange(caret, caret);
    });
  }

  /** Adds an empty item at the end of the open items and puts the caret in it. */
  addItem(): void {
    if (this.items.length >= MAX_CHECKLIST_ITEMS) {
      this._problem = FULL_LIST_MESSAGE;
      return;
    }
    const item = { id: newNoteId(), text: '', done: false };
    const lastOpen = this.items.findLastIndex((entry) => !entry.done);
    this._change([...this.items.slice(0, lastOpen + 1), item, ...this.items.slice(lastOpen + 1)]);
    this.focusItem(item.id);
  }

  protected override updated(): void {
    if (!FIELDS_SIZE_THEMSELVES) fitFieldsToText([...this.renderRoot.querySelectorAll('textarea')]);
  }

  override render() {
    const open = this.items.filter((item) => !item.done);
    const ticked = this.items.filter((item) => item.done);
    return html`
      <ul aria-label="List items">
        ${repeat(open, (item) => item.id, (item) => this._renderItem(item))}
      </ul>
      ${this.readonly
        ? nothing
        : html`<button class="add" @click=${() => this.addItem()}>
            <span aria-hidden="true">+</span> List item
          </button>`}
      <div class="problem" role="alert">${this._problem}</div>
      ${ticked.length
        ? html`<button class="ticked-toggle" aria-expanded=${this._showTicked ? 'true' : 'false'} @click=${() => (this._showTicked = !this._showTicked)}>
              ${expandIcon}${ticked.length === 1 ? '1 ticked item' : `${ticked.length} ticked items`}
            </button>
            ${this._showTicked ? html`<ul class="ticked" aria-label="Ticked items">${repeat(ticked, (item) => item.id, (item) => this._renderItem(item))}</ul>` : nothing}`
        : nothing}
    `;
  }

  private _renderItem(item: ChecklistItem) {
    const name = item.text.trim() || 'Empty item';
    return html`<li data-item=${item.id} class=${this._dragging === item.id ? 'dragging' : ''}>
      ${this.readonly || item.done
        ? nothing
        : html`<button
            class="handle"
            aria-label=${`Move ${name}`}
            title="Drag to move (Alt+Up or Alt+Down in the item)"
            @pointerdown=${(event: PointerEvent) => this._startDrag(event, item.id)}
            @keydown=${(event: KeyboardEvent) => this._onHandleKeydown(event, item.id)}
          >${dragIcon}</button>`}
      <label class="tick"
        ><input
          type="checkbox"
          aria-label=${`Ticked: ${name}`}
          .checked=${item.done}
          ?disabled=${this.readonly}
          @change=${(event: Event) => this._update(item.id, { done: (event.target as HTMLInputElement).checked })}
      /></label>
      <textarea
        rows="1"
        aria-label="List item"
        ?readonly=${this.readonly}
        .value=${item.text}
        @input=${(event: Event) => this._onInput(event, item.id)}
        @keydown=${(event: KeyboardEvent) => this._onItemKeydown(event, item)}
      ></textarea>
      ${this.readonly
        ? nothing
        : html`<button class="remove" aria-label=${`Remove ${name}`} title="Remove item" @click=${() => this._remove(item.id)}>${removeIcon}</button>`}
    </li>`;
  }

  private _change(items: ChecklistItem[]): void {
    this._problem = '';
    this.items = items;
    this.dispatchEvent(new CustomEvent('items-change', { detail: items }) as ItemsChangeEvent);
  }

  private _update(id: string, change: Partial<ChecklistItem>): void {
    this._change(this.items.map((item) => (item.id === id ? { ...item, ...change } : item)));
  }

  private _onInput(event: Event, id: string): void {
    const field = event.target as HTMLTextAreaElement;
    // One line per item: a pasted line break makes the next items (Enter does too).
    const [first, ...rest] = field.value.split(/\r\n|\r|\n/);
    if (rest.length === 0) return this._update(id, { text: first! });
    const at = this.items.findIndex((item) => item.id === id);
    const room = MAX_CHECKLIST_ITEMS - this.items.length;
    const added = rest.slice(0, room).map((text) => ({ id: newNoteId(), text, done: false }));
    this._change([...this.items.slice(0, at), { ...this.items[at]!, text: first! }, ...added, ...this.items.slice(at + 1)]);
    if (rest.length > room) this._problem = FULL_LIST_MESSAGE;
    this.focusItem(added.at(-1)?.id ?? id);
  }

  private _onItemKeydown(event: KeyboardEvent, item: ChecklistItem): void {
    const field = event.target as HTMLTextAreaElement;
    if (event.isComposing || this.readonly) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (this.items.length >= MAX_CHECKLIST_ITEMS) {
        this._problem = FULL_LIST_MESSAGE;
        return;
      }
      const next = { id: newNoteId(), text: field.value.slice(field.selectionEnd), done: false };
      const at = this.items.findIndex((entry) => entry.id === item.id);
      this._change([...this.items.slice(0, at), { ...item, text: field.value.slice(0, field.selectionStart) }, next, ...this.items.slice(at + 1)]);
      this.focusItem(next.id, 0);
    } else if (event.key === 'Backspace' && field.selectionStart === 0 && field.selectionEnd === 0) {
      // At the start of an item: an empty one goes, a written one joins the item above it.
      const neighbours = this.items.filter((entry) => entry.done === item.done);
      const previous = neighbours[neighbours.indexOf(item) - 1];
      if (field.value !== '' && !previous) return;
      event.preventDefault();
      if (field.value === '') this._remove(item.id);
      else this._change(this.items.filter((entry) => entry.id !== item.id).map((entry) => (entry.id === previous!.id ? { ...entry, text: entry.text + field.value } : entry)));
      if (previous) this.focusItem(previous.id, previous.text.length);
    } else if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      this._moveBy(item.id, event.key === 'ArrowUp' ? -1 : 1);
      this.focusItem(item.id, field.selectionStart);
    }
  }

  private _onHandleKeydown(event: KeyboardEvent, id: string): void {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    event.preventDefault();
    this._moveBy(id, event.key === 'ArrowUp' ? -1 : 1);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`li[data-item="${CSS.escape(id)}"] .handle`)?.focus());
  }

  private _remove(id: string): void {
    this._change(this.items.filter((item) => item.id !== id));
  }

  /** Moves an open item one place among the open items (ticked ones keep their places). */
  private _moveBy(id: string, by: -1 | 1): void {
    const open = this.items.filter((item) => !item.done);
    const from = open.findIndex((item) => item.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= open.length) return;
    this._moveBeside(id, open[to]!.id, by > 0 ? 'after' : 'before');
  }

  private _moveBeside(id: string, anchor: string, side: 'before' | 'after'): void {
    const moving = this.items.find((item) => item.id === id)!;
    const rest = this.items.filter((item) => item.id !== id);
    const at = rest.findIndex((item) => item.id === anchor) + (side === 'after' ? 1 : 0);
    this._change([...rest.slice(0, at), moving, ...rest.slice(at)]);
  }

  /**
   * Drag by the handle, with a mouse or a finger: the item follows the pointer, changing places
   * with an open neighbour once the pointer passes that neighbour's middle.
   */
  private _startDrag(event: PointerEvent, id: string): void {
    if (this.readonly || event.button !== 0) return;
    event.preventDefault();
    this._dragging = id;
    const move = (moveEvent: PointerEvent) => {
      const rows = [...this.renderRoot.querySelectorAll<HTMLElement>('ul:not(.ticked) > li')];
      const own = rows.findIndex((row) => row.dataset.item === id);
      const above = rows[own - 1];
      const below = rows[own + 1];
      const middle = (row: HTMLElement) => {
        const box = row.getBoundingClientRect();
        return box.top + box.height / 2;
      };
      if (above && moveEvent.clientY < middle(above)) this._moveBeside(id, above.dataset.item!, 'before');
      else if (below && moveEvent.clientY > middle(below)) this._moveBeside(id, below.dataset.item!, 'after');
    };
    // On the window, not the handle: the handle's row moves in the list as it is dragged, and a
    // node moved in the document loses its pointer capture.
    const end = () => {
      this._dragging = undefined;
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', end);
      removeEventListener('pointercancel', end);
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', end);
    addEventListener('pointercancel', end);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'note-checklist': NoteChecklist;
  }
}
