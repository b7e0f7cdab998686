/**
 * A modal question with two answers (emptying the trash, moving guest notes in, signing out with
 * unsynced changes): `ask()` shows it and resolves true for the confirming button, false for the
 * other one or Esc. The shell keeps one and asks each question through it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { sharedStyles } from './shared-styles.js';

export interface ConfirmQuestion {
  text: string;
  /** The button that goes ahead. */
  confirm: string;
  /** The button that leaves things as they are. */
  cancel: string;
}

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
        justify-content: flex-end;
        gap: 8px;
        margin-top: 16px;
      }
    `,
  ];

  @state() private _question: ConfirmQuestion = { text: '', confirm: '', cancel: '' };
  @query('dialog') private _dialog!: HTMLDialogElement;
  private _answer: ((confirmed: boolean) => void) | undefined;

  /** Shows `question`; a question still open is answered "no" first. */
  async ask(question: ConfirmQuestion): Promise<boolean> {
    this._settle(false);
    this._question = question;
    await this.updateComplete;
    const answer = new Promise<boolean>((resolve) => (this._answer = resolve));
    this._dialog.showModal();
    return answer;
  }

  /** Takes back the open question (answered in another tab, say): it resolves false. */
  withdraw(): void {
    this._settle(false);
  }

  private _settle(confirmed: boolean): void {
    const answer = this._answer;
    this._answer = undefined;
    if (this._dialog?.open) this._dialog.close();
    answer?.(confirmed);
  }

  override render() {
    const question = this._question;
    return html`<dialog aria-labelledby="question" @close=${() => this._settle(false)}>
      <p id="question">${question.text}</p>
      <div class="actions">
        <button class="text-button" @click=${() => this._settle(false)}>${question.cancel}</button>
        <button class="text-button primary" @click=${() => this._settle(true)}>${question.confirm}</button>
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'confirm-dialog': ConfirmDialog;
  }
}
