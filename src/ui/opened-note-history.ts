/**
 * The history entry of the opened note (note-editor.ts): pushed when it opens, so the browser's
 * back button closes it, and taken back when it closes any other way, so no stale entry remains
 * for back to land on. The first push waits until the opened note is painted: pushState costs a
 * millisecond or more, and the person sees the note a frame sooner without it.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterNextPaint } from './after-paint.js';

/** The history entry an opened note pushes. */
interface OpenedNoteState {
  openedNote: string;
}

function isOpenedNoteState(state: unknown, id: string): boolean {
  return typeof state === 'object' && state !== null && (state as Partial<OpenedNoteState>).openedNote === id;
}

/** Longest wait for the popstate of our own history.back() (it never comes if the page is hidden). */
const HISTORY_BACK_WAIT_MS = 1_000;

export class OpenedNoteHistory implements ReactiveController {
  /** Whether our entry is the current one (pushed on open, gone after back). */
  private _pushed = false;
  /** Cancels a push still waiting for the opened note's first paint. */
  private _cancelPendingPush: (() => void) | undefined;

  constructor(
    host: ReactiveControllerHost,
    private readonly noteId: () => string,
    /** Back was pressed while our entry was current: the note closes (and may push again). */
    private readonly onBack: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this._onPopState);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this._onPopState);
    this._cancelPush();
    // Removed without closing (the account changed under it): leave no entry for back to land on.
    if (this._pushed) {
      this._pushed = false;
      history.back();
    }
  }

  /** Pushes our entry once the next frame is painted (the note just opened). */
  pushAfterPaint(): void {
    this._cancelPush();
    this._cancelPendingPush = afterNextPaint(() => {
      this._cancelPendingPush = undefined;
      this.push();
    });
  }

  push(): void {
    this._cancelPush();
    history.pushState({ openedNote: this.noteId() } satisfies OpenedNoteState, '');
    this._pushed = true;
  }

  /** Takes our entry off the history, and waits until it is gone so a next open pushes cleanly. */
  takeBack(): Promise<void> {
    this._cancelPush();
    if (!this._pushed) return Promise.resolve();
    this._pushed = false;
    if (!isOpenedNoteState(history.state, this.noteId())) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        window.removeEventListener('popstate', done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, HISTORY_BACK_WAIT_MS);
      window.addEventListener('popstate', done);
      history.back();
    });
  }

  private _cancelPush(): void {
    this._cancelPendingPush?.();
    this._cancelPendingPush = undefined;
  }

  private _onPopState = () => {
    if (!this._pushed || isOpenedNoteState(history.state, this.noteId())) return;
    this._pushed = false;
    this.onBack();
  };
}
