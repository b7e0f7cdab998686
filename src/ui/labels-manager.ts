/**
 * "Edit labels": make a label (a field, Enter or Add), rename one in place (Enter or leaving the
 * field saves), give it a color (none or a note color, radio swatches named for screen readers)
 * or delete it (after a question saying how many notes carry it, and that they stay). A name that
 * cannot be saved stays in its field with the reason under it. Loaded on first use.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { LabelRecord } from '../db/database.js';
import { LABEL_COLORS, MAX_LABEL_NAME_LENGTH, sortedLabels, type LabelColor } from '../shared/label.js';
import { trashIcon } from './icons.js';
import { closeIcon } from './later-icons.js';
import type { LabelActions } from './label-actions.js';
import { COLOR_NAMES } from './note-card.js';
import { dialogStyles, noteColorStyles, sharedStyles } from './shared-styles.js';

export const labelColorName = (color: LabelColor) => (color === 'none' ? 'No color' : COLOR_NAMES[color]);

@customElement('labels-manager')
export class LabelsManager extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    noteColorStyles,
    css`
      :host {
        --dialog-width: 440px;
      }
      dialog {
        max-height: min(640px, calc(100dvh - 24px));
        padding: 16px;
      }
      .top {
        display: flex;
        align-items: center;
        justify-content: space-between;
      }
      h2 {
        margin: 0;
        font-size: 1.2rem;
      }
      .new,
      .row {
        display: flex;
        align-items: center;
        gap: 4px;
      }
      .new {
        margin: 12px 0 4px;
      }
      input[type='text'] {
        flex: 1;
        min-width: 0;
        min-height: 40px;
        padding: 0 10px;
        border: 1px solid transparent;
        border-radius: 8px;
        font: inherit;
        color: inherit;
        background: transparent;
      }
      input[type='text']:hover,
      input[type='text']:focus {
        border-color: var(--rn-border);
        background: var(--rn-surface);
      }
      .new input[type='text'] {
        border-color: var(--rn-border);
      }
      input[aria-invalid='true'] {
        border-color: var(--rn-error);
      }
      @media (pointer: coarse) {
        input[type='text'] {
          min-height: 44px;
        }
      }
      ul {
        list-style: none;
        margin: 8px 0 0;
        padding: 0;
      }
      li {
        padding: 2px 0;
        border-top: 1px solid var(--rn-border);
      }
      .swatch-button .dot,
      .swatch {
        width: 22px;
        height: 22px;
        border-radius: 50%;
        border: 1px solid var(--rn-border);
        background: var(--note-bg, transparent);
      }
      .swatch-button .dot[data-color='none'],
      .swatch[data-color='none'] {
        background: linear-gradient(135deg, transparent 45%, var(--rn-muted) 45% 55%, transparent 55%);
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin: 0 0 6px 40px;
        padding: 0;
        border: none;
      }
      .swatch {
        appearance: none;
        display: inline-block;
        width: 32px;
        height: 32px;
        margin: 0;
        cursor: pointer;
      }
      .swatch:checked {
        outline: 3px solid var(--rn-accent);
        outline-offset: 1px;
      }
      .swatch:focus-visible {
        outline: 3px solid var(--rn-focus);
      }
      @media (pointer: coarse) {
        .swatch {
          width: 44px;
          height: 44px;
        }
      }
      .problem {
        margin: 0 0 6px 40px;
      }
      .new + .problem {
        margin-left: 0;
      }
      .empty {
        margin: 16px 4px;
        color: var(--rn-muted);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        margin-top: 12px;
      }
    `,
  ];

  /** Every label read (tombstones are left out here). */
  @property({ attribute: false }) labels: readonly LabelRecord[] = [];
  @property({ attribute: false }) actions!: LabelActions;

  /** Why a name was not saved, by label id ('' for the new label's field). */
  @state() private _problems = new Map<string, string>();
  /** The label whose color swatches are open. */
  @state() private _coloring: string | undefined;

  @query('dialog') private _dialog!: HTMLDialogElement;
  @query('#new-label') private _newField!: HTMLInputElement;

  open(): void {
    this._problems = new Map();
    this._coloring = undefined;
    if (!this._dialog.open) this._dialog.showModal();
  }

  private _setProblem(id: string, problem: string | null): void {
    const problems = new Map(this._problems);
    if (problem) problems.set(id, problem);
    else problems.delete(id);
    this._problems = problems;
  }

  private _add = async () => {
    const name = this._newField.value;
    if (name.trim() === '' && !this._problems.has('')) return;
    const made = await this.actions.create(name);
    this._setProblem('', typeof made === 'string' ? made : null);
    if (typeof made !== 'string') this._newField.value = '';
  };

  private _rename = async (label: LabelRecord, field: HTMLInputElement) => {
    if (field.value === label.name && !this._problems.has(label.id)) return;
    this._setProblem(label.id, await this.actions.edit(label.id, { name: field.value }));
  };

  private _recolor = async (label: LabelRecord, color: LabelColor) => {
    this._setProblem(label.id, await this.actions.edit(label.id, { color }));
  };

  private _remove = async (label: LabelRecord) => {
    this._setProblem(label.id, await this.actions.remove(label));
  };

  override render() {
    const newProblem = this._problems.get('');
    const labels = sortedLabels(this.labels);
    return html`<dialog aria-labelledby="manager-title">
      <div class="top">
        <h2 id="manager-title">Edit labels</h2>
        <button class="icon-button" aria-label="Close" title="Close (Esc)" @click=${() => this._dialog.close()}>${closeIcon}</button>
      </div>
      <div class="new">
        <label class="visually-hidden" for="new-label">New label</label>
        <input
          id="new-label"
          type="text"
          placeholder="Create a new label"
          autocomplete="off"
          maxlength=${MAX_LABEL_NAME_LENGTH + 20}
          aria-invalid=${newProblem ? 'true' : 'false'}
          aria-describedby="new-problem"
          @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && !event.isComposing && void this._add()}
        />
        <button class="text-button" @click=${this._add}>Add</button>
      </div>
      <div id="new-problem" class="problem error-text" role="alert">${newProblem ?? ''}</div>
      ${labels.length === 0
        ? html`<p class="empty">No labels yet. A label gathers notes: make one here, then put it on notes from an opened note, and find them from the side menu.</p>`
        : html`<ul>${labels.map((label) => this._renderLabel(label))}</ul>`}
      <div class="actions"><button class="text-button primary" @click=${() => this._dialog.close()}>Done</button></div>
    </dialog>`;
  }

  private _renderLabel(label: LabelRecord) {
    const problem = this._problems.get(label.id);
    const coloring = this._coloring === label.id;
    const fieldId = `name-${label.id}`;
    return html`<li>
      <div class="row">
        <button
          class="icon-button swatch-button"
          aria-expanded=${coloring ? 'true' : 'false'}
          aria-label=${`Color of ${label.name}: ${labelColorName(label.color)}`}
          title="Color"
          @click=${() => (this._coloring = coloring ? undefined : label.id)}
        ><span class="dot" data-color=${label.color}></span></button>
        <label class="visually-hidden" for=${fieldId}>Name of the label ${label.name}</label>
        <input
          id=${fieldId}
          type="text"
          autocomplete="off"
          maxlength=${MAX_LABEL_NAME_LENGTH + 20}
          .value=${label.name}
          aria-invalid=${problem ? 'true' : 'false'}
          aria-describedby=${`problem-${label.id}`}
          @change=${(event: Event) => void this._rename(label, event.target as HTMLInputElement)}
          @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && !event.isComposing && void this._rename(label, event.target as HTMLInputElement)}
        />
        <button class="icon-button" aria-label=${`Delete the label ${label.name}`} title="Delete label" @click=${() => void this._remove(label)}>${trashIcon}</button>
      </div>
      ${coloring
        ? html`<fieldset>
            <legend class="visually-hidden">Color of ${label.name}</legend>
            ${LABEL_COLORS.map(
              (color) => html`<input
                class="swatch"
                type="radio"
                name=${`color-${label.id}`}
                data-color=${color}
                aria-label=${labelColorName(color)}
                title=${labelColorName(color)}
                .checked=${label.color === color}
                @change=${() => void this._recolor(label, color)}
              />`,
            )}
          </fieldset>`
        : nothing}
      <div id=${`problem-${label.id}`} class="problem error-text" role="alert">${problem ?? ''}</div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'labels-manager': LabelsManager;
  }
}
