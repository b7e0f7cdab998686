/** The board's styles: absolutely placed cells and headings (positions: board-layout.ts), the drag and its drop cue. */
import { css } from 'lit';
import { CARD_HEIGHT_PX, HEADING_ROW_PX } from './board-layout.js';

export const noteBoardStyles = css`
  :host {
    display: block;
    position: relative;
    contain: layout;
  }
  .width-probe {
    position: absolute;
    inset: 0 0 auto;
    height: 0;
    visibility: hidden;
  }
  .cell {
    position: absolute;
    top: 0;
    left: 0;
    height: ${CARD_HEIGHT_PX}px;
  }
  .cell.dragging {
    z-index: 2;
    opacity: 0.85;
    pointer-events: none;
    filter: drop-shadow(0 8px 16px rgb(0 0 0 / 0.3));
  }
  :host(.drag-active) {
    user-select: none;
    -webkit-user-select: none;
  }
  .heading {
    position: absolute;
    top: 0;
    left: 0;
    margin: 0;
    height: ${HEADING_ROW_PX}px;
    line-height: ${HEADING_ROW_PX - 8}px;
    font-size: 0.8rem;
    font-weight: 600;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--rn-muted, inherit);
  }
  .drop-cue {
    position: absolute;
    top: 0;
    left: 0;
    width: 4px;
    height: ${CARD_HEIGHT_PX}px;
    border-radius: 2px;
    background: var(--rn-accent, #1a73e8);
    pointer-events: none;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
