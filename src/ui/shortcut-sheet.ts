/**
 * The keyboard shortcut sheet: a small modal dialog listing every shortcut the app answers to,
 * opened with "?" or from the header's "Keyboard shortcuts" button. Loaded on first use. The list
 * here is the one the README's Keyboard table repeats: change both together.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query } from 'lit/decorators.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';

interface Shortcut {
  /** Alternatives, each a combination of keys pressed together: [['Alt', '←'], ['Alt', '↑']]. */
  keys: readonly (readonly string[])[];
  action: string;
}

interface ShortcutGroup {
  heading: string;
  shortcuts: readonly Shortcut[];
}

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    heading: 'Anywhere',
    shortcuts: [
      { keys: [['n']], action: 'New note (focus the quick-add field)' },
      { keys: [['/']], action: 'Search' },
      { keys: [['?']], action: 'This list of shortcuts' },
      { keys: [['Ctrl', 'Z'], ['Cmd', 'Z']], action: 'Undo the last action while its message shows' },
      { keys: [['Esc']], action: 'Close the open note, menu or dialog; clear the search' },
    ],
  },
  {
    heading: 'On a note of the board',
    shortcuts: [
      { keys: [['←'], ['↑'], ['→'], ['↓']], action: 'Move between notes' },
      { keys: [['Home']], action: 'First note' },
      { keys: [['End']], action: 'Last note' },
      { keys: [['Enter']], action: 'Open the note (what is typed is saved on closing)' },
      { keys: [['Delete']], action: 'Move the note to the trash' },
      { keys: [['Alt', '←'], ['Alt', '↑']], action: 'Move the note one place earlier in its section' },
      { keys: [['Alt', '→'], ['Alt', '↓']], action: 'Move the note one place later in its section' },
    ],
  },
  {
    heading: 'Quick-add field',
    shortcuts: [
      { keys: [['Enter']], action: 'Add the note' },
      { keys: [['Shift', 'Enter']], action: 'New line' },
    ],
  },
];

@customElement('shortcut-sheet')
export class ShortcutSheet extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      :host {
        --dialog-width: 520px;
      }
      dialog {
        max-height: calc(100dvh - 24px);
      }
      h2 {
        margin: 0 0 8px;
        font-size: 1.2rem;
      }
      h3 {
        margin: 16px 0 4px;
        font-size: 0.95rem;
        color: var(--rn-muted);
      }
      dl {
        display: grid;
        grid-template-columns: minmax(auto, 40%) 1fr;
        gap: 6px 16px;
        margin: 0;
      }
      dt {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        align-items: center;
      }
      dd {
        margin: 0;
        align-self: center;
      }
      kbd {
        min-width: 1.8em;
        padding: 2px 6px;
        border: 1px solid var(--rn-border);
        border-bottom-width: 2px;
        border-radius: 6px;
        font: 0.85rem var(--rn-font);
        text-align: center;
        background: var(--rn-bg);
      }
      .or,
      .plus {
        font-size: 0.85rem;
        color: var(--rn-muted);
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        margin-top: 20px;
      }
      @media (pointer: coarse) {
        .text-button {
          min-height: 44px;
          min-width: 44px;
        }
      }
    `,
  ];

  @query('dialog') private _dialog!: HTMLDialogElement;

  open(): void {
    if (!this._dialog.open) this._dialog.showModal();
  }

  override render() {
    return html`<dialog aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      ${SHORTCUT_GROUPS.map(
        (group) => html`<h3>${group.heading}</h3>
          <dl>
            ${group.shortcuts.map(
              (shortcut) => html`<dt>
                  ${shortcut.keys.map(
                    (combination, i) => html`${i > 0 ? html`<span class="or">or</span>` : nothing}${combination.map(
                      (key, j) => html`${j > 0 ? html`<span class="plus">+</span>` : nothing}<kbd>${key}</kbd>`,
                    )}`,
                  )}
                </dt>
                <dd>${shortcut.action}</dd>`,
            )}
          </dl>`,
      )}
      <div class="actions">
        <button class="text-button primary" @click=${() => this._dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'shortcut-sheet': ShortcutSheet;
  }
}
