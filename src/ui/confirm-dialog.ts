/**
 * A modal question with two answers (emptying the trash, moving guest notes in, signing out with
 * unsynced changes): `ask()` shows it and resolves true for the confirming button, false for the
 * other one or Esc. `choose()` also offers a third, in-between answer (deleting the account:
 * "Export notes first"). The shell keeps one and asks each question through it.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { sharedStyles } from './shared-styles.js';

export interface ConfirmQuestion {
  text: string;
  /** The button that goes ahead. */
  confirm: string;
  /** The button that leaves things as they are. */
  cancel: string;
  /** A third answer, between the two (choose() only). */
  alternative?: string;
  /** The confirming button does something that cannot be undone: it is shown as such. */
  destructive?: boolean;
}

export type Choice = 'confirm' | 'cancel' | 'alternative';

@customElement('confirm-dialog')
export class ConfirmDialog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        border: none;
        border-radius: 16px;
        padding: 20px;
        background: var(--rn-surface);
        color: var(--rn-on-surface);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.35);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 16px;
      }
      dialog {
        max-width: min(520px, calc(100vw - 32px));
      }
      p {
        white-space: pre-line;
      }
    `,
  ];

  @state() private _question: ConfirmQuestion = { text: '', confirm: '', cancel: '' };
  @query('dialog') private _dialog!: HTMLDialogElement;
  private _answer: ((choice: Choice) => void) | undefined;

  /** Shows `question`; a question still open is answered "no" first. */
  async ask(question: ConfirmQuestion): Promise<boolean> {
    return (await this.choose({ ...question, alternative: undefined })) === 'confirm';
  }

  /** Shows `question` with its alternative answer, if any; a question still open is answered "no" first. */
  async choose(question: ConfirmQuestion): Promise<Choice> {
    this._settle('cancel');
    this._question = question;
    await this.updateComplete;
    const answer = new Promise<Choice>((resolve) => (this._answer = resolve));
    this._dialog.showModal();
    return answer;
  }

  /** Takes back the open question (answered in another tab, say): it resolves false. */
  withdraw(): void {
    this._settle('cancel');
  }

  private _settle(choice: Choice): void {
    const answer = this._answer;
    this._answer = undefined;
    if (this._dialog?.open) this._dialog.close();
    answer?.(choice);
  }

  override render() {
    const question = this._question;
    return html`<dialog aria-labelledby="question" @close=${() => this._settle('cancel')}>
      <p id="question">${question.text}</p>
      <div class="actions">
        <button class="text-button" @click=${() => this._settle('cancel')}>${question.cancel}</button>
        ${question.alternative
          ? html`<button class="text-button" @click=${() => this._settle('alternative')}>${question.alternative}</button>`
          : nothing}
        <button class=${question.destructive ? 'text-button primary danger' : 'text-button primary'} @click=${() => this._settle('confirm')}>
          ${question.confirm}
        </button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'confirm-dialog': ConfirmDialog;
  }
}
