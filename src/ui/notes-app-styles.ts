/** The app shell's own styles: the board's page, its toolbar and its banner (the header has its own). */
import { css } from 'lit';

export const notesAppStyles = css`
  :host {
    display: block;
    min-height: 100vh;
  }
  main {
    max-width: 1400px;
    margin: 0 auto;
    /* Clear of the notch and the home indicator when installed. */
    padding: 16px max(16px, env(safe-area-inset-right)) calc(16px + env(safe-area-inset-bottom)) max(16px, env(safe-area-inset-left));
  }
  .key-hint-text {
    display: none;
  }
  @media (hover: hover) and (pointer: fine) {
    .key-hint-text {
      display: inline;
    }
  }
  note-composer {
    max-width: 640px;
    margin: 0 auto 20px;
  }
  .banner {
    margin: 0 0 16px;
    padding: 12px 16px;
    border-radius: 12px;
    background: var(--rn-error-container);
    color: var(--rn-on-error-container);
  }
  .toolbar {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
    margin-bottom: 12px;
  }
  h2 {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
    color: var(--rn-muted);
  }
  .empty {
    margin: 48px auto;
    text-align: center;
    color: var(--rn-muted);
  }
`;
