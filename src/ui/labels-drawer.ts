/**
 * The side drawer, as Keep has it: Notes, each of the person's labels (by name, a dot of its
 * color), "Edit labels", Archive and Trash. A modal <dialog> sliding in from the inline-start edge
 * (focus stays inside; Esc or a click on the dimmed page closes it). Choosing a row closes it and
 * says what was chosen (`drawer-choose`, or `labels-edit`); the shell decides. Loaded on first use.
 */
import { LitElement, css, html, nothing, svg, type SVGTemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { LabelRecord } from '../db/database.js';
import { archiveIcon, labelIcon, notesIcon, trashIcon } from './icons.js';
import { closeIcon } from './later-icons.js';
import { reminderIcon } from './reminder-chip.js';
import { sortedLabels } from '../shared/label.js';
import type { BoardMode } from './note-actions.js';
import { noteColorStyles, sharedStyles } from './shared-styles.js';

const editIcon = svg`<svg width="20" height="20" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false"><path d="M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04a1 1 0 0 0 0-1.41l-2.34-2.34a1 1 0 0 0-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z"/></svg>`;

/** What a drawer row shows: a view, or the board filtered by a label. */
export interface DrawerChoice {
  view: BoardMode;
  label?: string;
}

@customElement('labels-drawer')
export class LabelsDrawer extends LitElement {
  static override styles = [
    sharedStyles,
    noteColorStyles,
    css`
      dialog {
        box-sizing: border-box;
        width: min(300px, 85vw);
        height: 100dvh;
        max-height: 100dvh;
        margin: 0;
        margin-inline-end: auto;
        padding: calc(8px + env(safe-area-inset-top)) 8px calc(8px + env(safe-area-inset-bottom)) max(8px, env(safe-area-inset-left));
        border: none;
        border-radius: 0 16px 16px 0;
        background: var(--rn-surface);
        color: var(--rn-on-surface);
        box-shadow: var(--rn-shadow-raised);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      @media (prefers-reduced-motion: no-preference) {
        dialog[open] {
          animation: slide-in 0.18s ease-out;
        }
      }
      @keyframes slide-in {
        from {
          transform: translateX(-100%);
        }
      }
      .top {
        display: flex;
        align-items: center;
        justify-content: space-between;
        padding: 0 0 4px 12px;
      }
      h2 {
        margin: 0;
        font-size: 1.1rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .row {
        display: flex;
        align-items: center;
        gap: 14px;
        width: 100%;
        min-height: 44px;
        padding: 0 16px;
        border: none;
        border-radius: 999px;
        background: transparent;
        text-align: start;
      }
      .row:hover {
        background: var(--rn-hover);
      }
      .row[aria-current='page'] {
        background: var(--rn-pressed);
        font-weight: 600;
      }
      .name {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .dot {
        flex: none;
        width: 12px;
        height: 12px;
        border-radius: 50%;
        border: 1px solid var(--rn-border);
        background: var(--note-bg);
      }
      hr {
        margin: 8px 0;
        border: none;
        border-top: 1px solid var(--rn-border);
      }
      .section {
        margin: 8px 16px 4px;
        font-size: 0.8rem;
        color: var(--rn-muted);
      }
    `,
  ];

  /** Every label read (tombstones are left out here). */
  @property({ attribute: false }) labels: readonly LabelRecord[] = [];
  /** What the board shows now. */
  @property({ attribute: false }) current: DrawerChoice = { view: 'board' };

  @query('dialog') private _dialog!: HTMLDialogElement;

  open(): void {
    if (!this._dialog.open) this._dialog.showModal();
  }

  close(): void {
    if (this._dialog.open) this._dialog.close();
  }

  private _choose(type: string, detail?: DrawerChoice): void {
    this.close();
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** A click on the dimmed page lands on the dialog element itself, outside its box. */
  private _onClick = (event: MouseEvent) => {
    if (event.target !== this._dialog) return;
    const box = this._dialog.getBoundingClientRect();
    if (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom) this.close();
  };

  override render() {
    const { view, label } = this.current;
    const labels = sortedLabels(this.labels);
    return html`<dialog aria-labelledby="drawer-title" @click=${this._onClick}>
      <div class="top">
        <h2 id="drawer-title">Roaming Notes</h2>
        <button class="icon-button" aria-label="Close" title="Close (Esc)" @click=${() => this.close()}>${closeIcon}</button>
      </div>
      <nav aria-label="Views and labels">
        <ul>
          ${this._row('Notes', notesIcon, view === 'board' && !label, { view: 'board' })} ${this._row('Reminders', reminderIcon, view === 'reminders', { view: 'reminders' })}
        </ul>
        <hr />
        <div class="section" id="labels-heading">Labels</div>
        <ul aria-labelledby="labels-heading">
          ${labels.map(
            (each) => html`<li>
              <button class="row" aria-current=${view === 'board' && label === each.id ? 'page' : 'false'} @click=${() => this._choose('drawer-choose', { view: 'board', label: each.id })}>
                ${labelIcon}<span class="name">${each.name}</span>${each.color === 'none' ? nothing : html`<span class="dot" data-color=${each.color} aria-hidden="true"></span>`}
              </button>
            </li>`,
          )}
          <li>
            <button class="row" @click=${() => this._choose('labels-edit')}>${editIcon}<span class="name">${labels.length ? 'Edit labels' : 'Create a label'}</span></button>
          </li>
        </ul>
        <hr />
        <ul>
          ${this._row('Archive', archiveIcon, view === 'archive', { view: 'archive' })} ${this._row('Trash', trashIcon, view === 'trash', { view: 'trash' })}
        </ul>
      </nav>
    </dialog>`;
  }

  private _row(name: string, icon: SVGTemplateResult, current: boolean, choice: DrawerChoice) {
    return html`<li>
      <button class="row" aria-current=${current ? 'page' : 'false'} @click=${() => this._choose('drawer-choose', choice)}>${icon}<span class="name">${name}</span></button>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'labels-drawer': LabelsDrawer;
  }
}
