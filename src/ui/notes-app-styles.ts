/** The app shell's own styles: the sticky header, the view switch, the board's page and its banner. */
import { css } from 'lit';

export const notesAppStyles = css`
  :host {
    display: block;
    min-height: 100vh;
  }
  header {
    position: sticky;
    top: 0;
    z-index: 5;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    padding: calc(8px + env(safe-area-inset-top)) 16px 8px;
    background: var(--rn-bar);
    border-bottom: 1px solid var(--rn-border);
  }
  h1 {
    margin: 0;
    font-size: 1.15rem;
    white-space: nowrap;
  }
  .search {
    flex: 1 1 240px;
    order: 3;
  }
  @media (min-width: 700px) {
    .search {
      order: 0;
      max-width: 560px;
      margin: 0 auto;
    }
  }
  input[type='search'] {
    width: 100%;
    min-height: 40px;
    padding: 0 14px;
    border: 1px solid var(--rn-border);
    border-radius: 999px;
    font: inherit;
    color: inherit;
    background: var(--rn-surface);
  }
  nav {
    display: flex;
    gap: 4px;
    margin-left: auto;
  }
  nav button[aria-current='page'] {
    background: var(--rn-pressed);
    border-color: transparent;
  }
  main {
    max-width: 1400px;
    margin: 0 auto;
    padding: 16px;
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
