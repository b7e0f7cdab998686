/**
 * What the app was opened to do: the manifest's share_target (GET /share?title&text&url), its
 * "New note" shortcut (/?action=new-note), an email sign-in link (/?mode=signIn&oobCode=...), or a
 * note notification's click (/?note=<id>, the link of src/shared/push.ts).
 */
import { MAX_NOTE_ID_LENGTH } from '../shared/note.js';

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
