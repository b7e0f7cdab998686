/**
 * The quick-add field at the top of the board. Enter adds the note, Shift+Enter starts a new line.
 * Text over the limit is refused with a message and kept in the field, never cut. The field is
 * emptied the moment Enter is pressed, not when the save ends: a key typed while the note is being
 * saved (tens of ms on a slow CPU) starts the next note instead of joining the one just added.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import { checkNoteText, tooLongMessage } from '../shared/note-basics.js';
import { fitFieldsToText, refitWhenWidthChanges } from './field-sizing.js';
import { sharedStyles } from './shared-styles.js';

/** Fired with the text to add; the app calls `detail.failed()` when the note could not be saved. */
export interface NoteSubmitDetail {
  text: string;
  failed: () => void;
}

@customElement('note-composer')
export class NoteComposer extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      form {
        display: flex;
        flex-direction: column;
        gap: 8px;
        padding: 10px 12px;
        border-radius: var(--rn-radius);
        background: var(--rn-surface);
        box-shadow: var(--rn-shadow);
      }
      textarea {
        width: 100%;
        min-height: 44px;
        max-height: 40vh;
        field-sizing: content;
        padding: 8px;
        border: none;
        resize: none;
        font: inherit;
        color: inherit;
        background: transparent;
      }
      textarea:focus-visible {
        outline: none;
      }
      form:focus-within {
        outline: 3px solid var(--rn-focus);
        outline-offset: 2px;
      }
      .row {
        display: flex;
        align-items: center;
        justify-content: flex-end;
        gap: 8px;
      }
      .hint,
      .error-text {
        flex: 1;
      }
      .hint {
        font-size: 0.8rem;
        color: var(--rn-muted);
      }
      /* Keys to press mean nothing on a touch screen: the hint shows only where there is a keyboard. */
      @media not ((hover: hover) and (pointer: fine)) {
        .hint {
          display: none;
        }
      }
    `,
  ];

  @property({ type: Boolean }) disabled = false;
  @state() private _text = '';
  @state() private _problem = '';
  @query('textarea') private _textarea!: HTMLTextAreaElement;

  /** Where the browser cannot size the field to its text (WebKit), a new width re-measures it. */
  private readonly _resizeObserver = refitWhenWidthChanges(() => this._fit());

  override connectedCallback(): void {
    super.connectedCallback();
    this._resizeObserver?.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resizeObserver?.disconnect();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('_text' as keyof NoteComposer)) this._fit();
  }

  private _fit(): void {
    if (this._textarea) fitFieldsToText([this._textarea]);
  }

  override focus(): void {
    this._textarea?.focus();
  }

  /** Puts text in the field for the person to fix or confirm (e.g. an over-long shared text). */
  setText(text: string): void {
    this._text = text;
    this._check();
  }

  override render() {
    return html`<form @submit=${this._submit}>
      <label class="visually-hidden" for="text">New note</label>
      <textarea
        id="text"
        placeholder=${this.disabled ? 'Notes cannot be saved on this device' : 'Take a note…'}
        aria-describedby="problem"
        aria-invalid=${this._problem ? 'true' : 'false'}
        ?disabled=${this.disabled}
        .value=${this._text}
        @input=${this._onInput}
        @keydown=${this._onKeydown}
      ></textarea>
      <div class="row">
        <span id="problem" class=${this._problem ? 'error-text' : 'hint'} role=${this._problem ? 'alert' : 'note'}>
          ${this._problem || 'Enter adds the note · Shift+Enter for a new line'}
        </span>
        <button class="text-button primary" type="submit" ?disabled=${this.disabled || this._problem !== '' || this._text.trim() === ''}>Add</button>
      </div>
    </form>`;
  }

  private _check(): void {
    const problem = checkNoteText(this._text);
    this._problem = problem ? tooLongMessage(problem.length) : '';
  }

  private _onInput = (event: InputEvent) => {
    this._text = (event.target as HTMLTextAreaElement).value;
    this._check();
  };

  private _onKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this._submit();
    } else if (event.key === 'Escape') {
      this._textarea.blur();
    }
  };

  private _submit = (event?: Event) => {
    event?.preventDefault();
    if (this.disabled || this._problem || this._text.trim() === '') return;
    const text = this._text;
    this._text = '';
    // Now, not at the next render: the next keystroke may come before it.
    if (this._textarea) this._textarea.value = '';
    const detail: NoteSubmitDetail = {
      text,
      // A failed save gives the text back, ahead of anything typed since, so nothing is lost.
      failed: () => {
        const typedSince = this._text;
        this._text = typedSince === '' ? text : `${text}\n${typedSince}`;
        this._check();
      },
    };
    this.dispatchEvent(new CustomEvent<NoteSubmitDetail>('note-submit', { detail, bubbles: true, composed: true }));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'note-composer': NoteComposer;
  }
}
