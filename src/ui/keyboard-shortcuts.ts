/**
 * The shell's single-key shortcuts, listened for on the window: n (new note), / (search) and ?
 * (the shortcut sheet). Keys typed into a field, with a modifier, or while a note is open are
 * left alone; what each key does belongs to the shell, passed in as callbacks.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface ShortcutActions {
  /** Whether shortcuts are off for now (a note is open and takes the keys). */
  paused(): boolean;
  newNote(): void;
  search(): void;
  showShortcuts(): void;
}

export class KeyboardShortcuts implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly actions: ShortcutActions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this._onKeydown);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this._onKeydown);
  }

  private readonly _onKeydown = (event: KeyboardEvent) => {
    // Shift is allowed: "?" is Shift+/ on most layouts.
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || this.actions.paused()) return;
    const target = event.composedPath()[0];
    const typing = target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
    if (typing) return;
    const action = ({ n: this.actions.newNote, '/': this.actions.search, '?': this.actions.showShortcuts } as Record<string, (() => void) | undefined>)[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };
}
