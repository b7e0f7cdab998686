/**
 * Selecting cards on the board: turns Shift-click, Ctrl/Cmd-click, any tap on a card while notes
 * are selected, and a long press on touch (board-drag.ts calls `select`) into `note-select`
 * events. Which notes are selected, and what is done with them, is selection-controller.ts's.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NoteRecord } from '../db/database.js';
import { clickedCardIndex } from './board-gestures.js';

/** Asks to select notes: `toggle` one (Ctrl/Cmd-click, a long press, a tap while some are selected) or `add` a Shift-click range. */
export interface NoteSelectDetail {
  ids: string[];
  mode: 'toggle' | 'add';
}

export interface BoardSelectionHost {
  /** Whether a click selects now: on the board (not the trash or search), with notes already selected. */
  selecting(): { enabled: boolean; anySelected: boolean };
  /** The note at a board index, if the board's window holds it. */
  noteAt(index: number): NoteRecord | undefined;
}

export class BoardSelectionClicks implements ReactiveController {
  /** Where the last single selection was: a Shift-click selects from here. */
  private _anchor = -1;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly board: BoardSelectionHost,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('click', this._onClick, { capture: true });
  }

  hostDisconnected(): void {
    this.host.removeEventListener('click', this._onClick, { capture: true });
  }

  /**
   * Shift-click and Ctrl/Cmd-click on a card select instead of opening it, and so does any tap on
   * a card while notes are selected; a card's own controls (done, more actions) and the links in
   * its text keep their click.
   */
  private _onClick = (event: MouseEvent) => {
    const { enabled, anySelected } = this.board.selecting();
    if (!enabled || !(event.shiftKey || event.ctrlKey || event.metaKey || anySelected)) return;
    const index = clickedCardIndex(event);
    if (index === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    this.select(index, event.shiftKey);
  };

  /** Toggles the card at `index`, or with `range` adds every card from the last one toggled to it. */
  select(index: number, range: boolean): void {
    const note = this.board.noteAt(index);
    if (!note) return;
    let detail: NoteSelectDetail = { ids: [note.id], mode: 'toggle' };
    if (range && this._anchor >= 0) {
      const ids: string[] = [];
      for (let i = Math.min(index, this._anchor); i <= Math.max(index, this._anchor); i++) {
        const inRange = this.board.noteAt(i);
        if (inRange) ids.push(inRange.id);
      }
      detail = { ids, mode: 'add' };
    } else {
      this._anchor = index;
    }
    this.host.dispatchEvent(new CustomEvent<NoteSelectDetail>('note-select', { detail, bubbles: true, composed: true }));
  }
}
