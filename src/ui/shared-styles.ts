/** Styles shared by the app's elements. Colors come from custom properties set in index.html. */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    min-width: 36px;
    min-height: 36px;
    padding: 0 6px;
    border: none;
    border-radius: 999px;
    background: transparent;
  }
  .icon-button:hover {
    background: var(--rn-hover);
  }
  .icon-button[aria-pressed='true'] {
    background: var(--rn-pressed);
  }
  .text-button {
    min-height: 36px;
    padding: 0 14px;
    border: 1px solid var(--rn-border);
    border-radius: 999px;
    background: var(--rn-surface);
  }
  .text-button.primary {
    border-color: transparent;
    background: var(--rn-accent);
    color: var(--rn-on-accent);
  }
  /* A button whose action cannot be undone (deleting an account, erasing a device). */
  .text-button.danger {
    border-color: transparent;
    background: var(--rn-error);
    color: var(--rn-surface);
  }
  .text-button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  /* A finger needs 44x44 CSS px (WCAG 2.5.5); a mouse keeps the compact sizes above. */
  @media (pointer: coarse) {
    .icon-button,
    .text-button {
      min-width: 44px;
      min-height: 44px;
    }
  }
  :focus-visible {
    outline: 3px solid var(--rn-focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .error-text {
    color: var(--rn-error);
    font-size: 0.875rem;
  }
`;

/** Card backgrounds for each note color, light and dark. */
export const noteColorStyles = css`
  [data-color='yellow'] { --note-bg: var(--rn-note-yellow); }
  [data-color='green'] { --note-bg: var(--rn-note-green); }
  [data-color='pink'] { --note-bg: var(--rn-note-pink); }
  [data-color='purple'] { --note-bg: var(--rn-note-purple); }
  [data-color='blue'] { --note-bg: var(--rn-note-blue); }
  [data-color='gray'] { --note-bg: var(--rn-note-gray); }
`;

/** A modal <dialog>: a card above a dimmed page. Each dialog sets its own width with --dialog-width. */
export const dialogStyles = css`
  dialog {
    width: min(var(--dialog-width, 460px), calc(100vw - 24px));
    border: none;
    border-radius: 16px;
    padding: 20px 22px;
    background: var(--rn-surface);
    color: var(--rn-on-surface);
    box-shadow: var(--rn-shadow-raised);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.35);
  }
`;
