/**
 * An opened note's labels: its live labels as chips (a chip's × takes that label off), and the
 * picker the editor's Labels button opens: a checkbox per label, narrowed by a field that also
 * offers to create the label typed when none has that name (the new label goes on the note).
 * What the store refuses (a 21st label, a label deleted meanwhile) is said in the picker.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { LabelRecord } from '../db/database.js';
import { cleanLabelName, MAX_LABEL_NAME_LENGTH, sortedLabels } from '../shared/label.js';
import { closeIcon } from './later-icons.js';
import type { LabelActions } from './label-actions.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';

@customElement('note-labels')
export class NoteLabels extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      :host {
        display: block;
        --dialog-width: 360px;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        margin: 8px 0 0;
        padding: 0;
        list-style: none;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        max-width: 100%;
        min-height: 28px;
        padding: 0 2px 0 10px;
        border: 1px solid var(--rn-note-ink-faded);
        border-radius: 999px;
        font-size: 0.85rem;
      }
      .chip.readonly {
        padding-right: 10px;
      }
      .chip span {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .chip .icon-button {
        min-width: 28px;
        min-height: 28px;
        padding: 0;
      }
      .chip svg {
        width: 16px;
        height: 16px;
      }
      @media (pointer: coarse) {
        .chip .icon-button {
          min-width: 44px;
          min-height: 44px;
        }
      }
      dialog {
        max-height: min(560px, calc(100dvh - 24px));
        padding: 16px;
      }
      h2 {
        margin: 0 0 8px;
        font-size: 1.1rem;
      }
      input[type='text'] {
        width: 100%;
        min-height: 40px;
        padding: 0 10px;
        border: 1px solid var(--rn-border);
        border-radius: 8px;
        font: inherit;
        color: inherit;
        background: var(--rn-surface);
      }
      ul.choices {
        list-style: none;
        margin: 8px 0 0;
        padding: 0;
        max-height: 320px;
        overflow: auto;
      }
      .choices label {
        display: flex;
        align-items: center;
        gap: 12px;
        min-height: 40px;
        padding: 0 4px;
        cursor: pointer;
        overflow-wrap: anywhere;
      }
      .choices input {
        flex: none;
        width: 18px;
        height: 18px;
        margin: 0;
        accent-color: var(--rn-accent);
      }
      @media (pointer: coarse) {
        input[type='text'],
        .choices label {
          min-height: 44px;
        }
      }
      .create {
        width: 100%;
        margin-top: 8px;
        text-align: start;
        overflow-wrap: anywhere;
      }
      .empty {
        margin: 12px 4px;
        color: var(--rn-muted);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        margin-top: 12px;
      }
    `,
  ];

  @property({ attribute: false }) noteId = '';
  /** The label ids the note carries. */
  @property({ attribute: false }) noteLabels: readonly string[] = [];
  /** Every label read, tombstones included. */
  @property({ attribute: false }) labels: readonly LabelRecord[] = [];
  @property({ attribute: false }) actions: LabelActions | undefined;
  @property({ type: Boolean }) readonly = false;

  @state() private _typed = '';
  @state() private _problem = '';

  @query('dialog') private _dialog!: HTMLDialogElement;
  @query('#label-filter') private _filterField!: HTMLInputElement;

  /** Opens the picker with its field empty and focused. */
  async openPicker(): Promise<void> {
    this._typed = '';
    this._problem = '';
    await this.updateComplete;
    this._filterField.value = '';
    this._dialog.showModal();
  }

  /** Puts the label on the note or takes it off; false (and the reason shown) when refused. */
  private async _set(labelId: string, on: boolean): Promise<boolean> {
    this._problem = (await this.actions?.setOnNote(this.noteId, labelId, on)) ?? '';
    return this._problem === '';
  }

  private _create = async () => {
    if (!this.actions) return;
    const made = await this.actions.create(this._typed);
    if (typeof made === 'string') {
      this._problem = made;
      return;
    }
    this._typed = this._filterField.value = '';
    await this._set(made.id, true);
  };

  override render() {
    const labels = sortedLabels(this.labels);
    const byId = new Map(labels.map((label) => [label.id, label]));
    const carried = this.noteLabels.map((id) => byId.get(id)).filter((label): label is LabelRecord => label !== undefined);
    return html`${carried.length
        ? html`<ul class="chips" aria-label="Labels">
            ${carried.map(
              (label) => html`<li class=${this.readonly ? 'chip readonly' : 'chip'}>
                <span>${label.name}</span>${this.readonly
                  ? nothing
                  : html`<button class="icon-button" aria-label=${`Remove label ${label.name}`} title="Remove label" @click=${() => void this._set(label.id, false)}>${closeIcon}</button>`}
              </li>`,
            )}
          </ul>`
        : nothing}
      <dialog aria-labelledby="picker-title">${this._renderPicker(labels)}</dialog>`;
  }

  private _renderPicker(labels: LabelRecord[]) {
    const typed = cleanLabelName(this._typed);
    const needle = typed.toLocaleLowerCase();
    const shown = labels.filter((label) => label.name.toLocaleLowerCase().includes(needle));
    const exact = labels.some((label) => label.name.toLocaleLowerCase() === needle);
    const on = new Set(this.noteLabels);
    return html`<h2 id="picker-title">Label note</h2>
      <label class="visually-hidden" for="label-filter">Label name</label>
      <input
        id="label-filter"
        type="text"
        placeholder="Enter label name"
        autocomplete="off"
        maxlength=${MAX_LABEL_NAME_LENGTH + 20}
        aria-describedby="picker-problem"
        @input=${(event: InputEvent) => {
          this._typed = (event.target as HTMLInputElement).value;
          this._problem = '';
        }}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Enter' && !event.isComposing && typed && !exact) void this._create();
        }}
      />
      ${typed && !exact ? html`<button class="text-button create" @click=${this._create}>Create “${typed}”</button>` : nothing}
      ${labels.length === 0 && !typed ? html`<p class="empty">No labels yet: type a name to make one.</p>` : nothing}
      <ul class="choices">
        ${shown.map(
          (label) => html`<li>
            <label><input type="checkbox" .checked=${on.has(label.id)} @change=${async (event: Event) => {
              const box = event.target as HTMLInputElement;
              // Refused (a 21st label, a label deleted meanwhile): the box shows what is saved.
              if (!(await this._set(label.id, box.checked))) box.checked = !box.checked;
            }} />${label.name}</label>
          </li>`,
        )}
      </ul>
      <div id="picker-problem" class="error-text" role="alert">${this._problem}</div>
      <div class="actions"><button class="text-button primary" @click=${() => this._dialog.close()}>Done</button></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'note-labels': NoteLabels;
  }
}
