/**
 * The opened note's look (note-editor.ts): a dialog on wide screens, a full-screen sheet on
 * phones, text fields as tall as their text.
 */
import { css } from 'lit';

export const noteEditorStyles = css`
      dialog {
        display: flex;
        flex-direction: column;
        width: min(680px, calc(100vw - 48px));
        max-height: calc(100dvh - 64px);
        padding: 0;
        border: none;
        border-radius: 16px;
        background: var(--note-bg);
        color: var(--rn-note-ink);
        box-shadow: var(--rn-shadow-raised);
        overflow: hidden;
      }
      dialog:not([open]) {
        display: none;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.4);
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 4px;
        padding: 6px 8px;
        flex: none;
      }
      .bar .spacer {
        flex: 1;
      }
      .reminder-row {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 8px;
        margin: 8px 0 0;
      }
      button.reminder {
        display: flex;
        align-items: center;
        flex: 0 1 auto;
        min-width: 0;
        min-height: 44px;
        margin: 0;
        padding: 0;
        border: none;
        background: none;
        color: inherit;
        font: inherit;
        cursor: pointer;
        border-radius: 999px;
      }
      button.reminder:focus-visible {
        outline: 2px solid currentColor;
        outline-offset: 2px;
      }
      .scroll {
        /* As tall as its text, shrinking (and scrolling) only when the dialog reaches its
           max-height. A flex-basis of 0 (flex: 1) collapses it to nothing in WebKit, where a
           column whose height comes from max-height alone leaves no free space to grow into. */
        flex: 1 1 auto;
        min-height: 0;
        overflow-y: auto;
        overscroll-behavior: contain;
        padding: 0 20px 12px;
        cursor: text;
      }
      textarea {
        display: block;
        width: 100%;
      }
      textarea::placeholder {
        color: var(--rn-note-ink-faded);
        opacity: 1;
      }
      .title {
        font-size: 1.3rem;
        font-weight: 700;
      }
      .body {
        min-height: 8em;
      }
      /* Beside a checklist the body takes only the room its text needs (none when empty). */
      .body.beside-list {
        min-height: 0;
      }
      @media (pointer: coarse) {
        .body.beside-list {
          min-height: 44px;
        }
      }
      note-checklist {
        margin: 4px -8px 4px -8px;
      }
      .done textarea {
        text-decoration: line-through;
      }
      .problem:not(:empty) {
        margin: 8px 0 0;
        color: var(--rn-error-on-note);
        font-size: 0.875rem;
        font-weight: 600;
      }
      .done-toggle {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        min-height: 40px;
        padding: 0 8px;
        cursor: pointer;
      }
      input[type='checkbox'] {
        width: 20px;
        height: 20px;
        margin: 0;
        accent-color: var(--rn-accent);
      }
      .icon-button {
        min-width: 40px;
        min-height: 40px;
      }
      .text-button {
        background: transparent;
        border-color: currentColor;
      }
      @media (pointer: coarse) {
        .icon-button,
        .done-toggle,
        .text-button {
          min-width: 44px;
          min-height: 44px;
        }
        /* A one-line title is a field a finger taps: 44 px tall like every other target. */
        .title {
          min-height: 44px;
        }
      }
      /* Phones: a full-screen sheet, clear of the notch and the home indicator of an installed app. */
      @media (max-width: 600px) {
        dialog {
          width: 100vw;
          max-width: 100vw;
          height: 100dvh;
          max-height: 100dvh;
          margin: 0;
          border-radius: 0;
          padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);
        }
        .scroll {
          padding: 0 16px 12px;
        }
      }
    `;
