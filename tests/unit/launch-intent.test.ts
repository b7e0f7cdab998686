import { describe, expect, it } from 'vitest';
import { noteLink } from '../../src/shared/push.js';
import { readLaunchIntent, sharedText } from '../../src/ui/launch-intent.js';

describe('launch intents', () => {
  it('reads a share and joins its parts without repeats', () => {
    const intent = readLaunchIntent({ pathname: '/share', search: '?title=Milk&text=Pick%20up%20milk&url=https%3A%2F%2Fexample.com', href: '' });
    expect(intent).toEqual({ kind: 'share', title: 'Milk', text: 'Pick up milk', url: 'https://example.com' });
    if (intent.kind !== 'share') throw new Error('expected a share');
    expect(sharedText(intent)).toBe('Milk\nPick up milk\nhttps://example.com');
    expect(sharedText({ kind: 'share', title: 'Same', text: 'Same', url: '' })).toBe('Same');
  });

  it('treats a share of blanks as empty', () => {
    const intent = readLaunchIntent({ pathname: '/share', search: '?text=%20%20', href: '' });
    if (intent.kind !== 'share') throw new Error('expected a share');
    expect(sharedText(intent)).toBe('');
  });

  it('reads the New note shortcut and ignores plain opens', () => {
    expect(readLaunchIntent({ pathname: '/', search: '?action=new-note', href: '' })).toEqual({ kind: 'new-note' });
    expect(readLaunchIntent({ pathname: '/', search: '', href: '' })).toEqual({ kind: 'none' });
  });

  it('recognizes an email sign-in link', () => {
    const href = 'https://notes.example/?apiKey=k&oobCode=abc&mode=signIn&lang=en';
    expect(readLaunchIntent({ pathname: '/', search: new URL(href).search, href })).toEqual({ kind: 'email-sign-in', url: href });
  });

  it('reads a note notification link, as src/shared/push.ts builds it', () => {
    const link = noteLink('3f0c1a2b-0000-4000-8000-000000000001');
    const url = new URL(link, 'https://notes.example');
    expect(readLaunchIntent({ pathname: url.pathname, search: url.search, href: url.href })).toEqual({
      kind: 'open-note',
      noteId: '3f0c1a2b-0000-4000-8000-000000000001',
    });
    expect(readLaunchIntent({ pathname: '/', search: '?note=', href: '' })).toEqual({ kind: 'none' });
    expect(readLaunchIntent({ pathname: '/', search: `?note=${'n'.repeat(65)}`, href: '' })).toEqual({ kind: 'none' });
  });
});
