/**
 * What the app was opened to do: the manifest's share_target (GET /share?title&text&url), its
 * "New note" shortcut (/?action=new-note), an email sign-in link (/?mode=signIn&oobCode=...), or a
 * note notification's click (/?note=<id>, the link of src/shared/push.ts). The shell loads this
 * module only when it was opened at another address than the bare root, after first paint.
 */
import { MAX_NOTE_ID_LENGTH } from '../shared/note.js';
import type { SnackbarMessage } from './app-snackbar.js';
import type { NoteComposer } from './note-composer.js';

export type LaunchIntent =
  | { kind: 'none' }
  | { kind: 'new-note' }
  | { kind: 'email-sign-in'; url: string }
  | { kind: 'share'; title: string; text: string; url: string }
  | { kind: 'open-note'; noteId: string };

export function readLaunchIntent(location: Pick<Location, 'pathname' | 'search' | 'href'>): LaunchIntent {
  const params = new URLSearchParams(location.search);
  if (params.get('mode') === 'signIn' && params.has('oobCode')) return { kind: 'email-sign-in', url: location.href };
  if (location.pathname === '/share') {
    return { kind: 'share', title: params.get('title') ?? '', text: params.get('text') ?? '', url: params.get('url') ?? '' };
  }
  if (params.get('action') === 'new-note') return { kind: 'new-note' };
  const noteId = params.get('note');
  if (noteId && noteId.length <= MAX_NOTE_ID_LENGTH) return { kind: 'open-note', noteId };
  return { kind: 'none' };
}

/** The note text for a share: its title, text and link on their own lines, without repeats. */
export function sharedText(share: Extract<LaunchIntent, { kind: 'share' }>): string {
  const parts = [share.title, share.text, share.url].map((part) => part.trim()).filter((part) => part !== '');
  return [...new Set(parts)].join('\n');
}

/** What handling an intent asks of the app shell. */
export interface LaunchShell {
  /** The quick-add field, while the view shows it. */
  composer(): NoteComposer | undefined;
  /** Opens a note over the board once it is on this device (or says it is not). */
  openNote(id: string): void;
  /** Saves a new note; false when it could not be saved (and the shell has said why). */
  add(text: string): Promise<boolean>;
  say(message: SnackbarMessage): void;
}

/**
 * Does what the app was opened to do, once: the address is cleared, so a reload does not repeat
 * it. Returns the intent; finishing an email sign-in link is the shell's, once sign-in has loaded.
 */
export async function handleLaunchIntent(shell: LaunchShell, address: Pick<Location, 'pathname' | 'search' | 'href'> = location): Promise<LaunchIntent> {
  const intent = readLaunchIntent(address);
  if (intent.kind === 'none') return intent;
  history.replaceState(null, '', '/');
  if (intent.kind === 'new-note') shell.composer()?.focus();
  if (intent.kind === 'open-note') shell.openNote(intent.noteId);
  if (intent.kind !== 'share') return intent;
  const text = sharedText(intent);
  if (text === '') {
    shell.say({ text: 'Nothing to add: the shared item had no text.' });
  } else if (await shell.add(text)) {
    shell.say({ text: 'Shared text added as a note' });
  } else {
    // Keep what was shared: it waits in the quick-add field (with the reason it was not saved, if saving failed).
    shell.composer()?.setText(text);
  }
  return intent;
}
