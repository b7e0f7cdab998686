/**
 * The push payload contract (src/shared/push.ts) and the FCM message around it
 * (functions/src/fcm-message.ts): what the function builds is exactly what the
 * worker accepts, the preview is cut safely, and malformed envelopes are reasons, never throws.
 */
import { describe, expect, it } from 'vitest';
import { FCM, buildFcmMessage } from '../../functions/src/fcm-message';
import { PUSH, buildNotePush, buildTestPush, notificationText, parsePushEnvelope, previewOf } from '../../src/shared/push';
import { wrapAsFcmDelivers } from '../support/fcm-envelope';

const input = { uid: 'alice', noteId: 'note-1', text: 'Pick up milk\nand bread', color: 'green' as const, openCount: 3 };

describe('buildNotePush', () => {
  it('builds the data map with string values only', () => {
    const data = buildNotePush(input);
    expect(data).toEqual({
      version: '1',
      kind: 'note-created',
      uid: 'alice',
      noteId: 'note-1',
      preview: 'Pick up milk\nand bread',
      color: 'green',
      openCount: '3',
      link: '/?note=note-1',
    });
    for (const value of Object.values(data)) expect(typeof value).toBe('string');
  });

  it('escapes the note id in the link', () => {
    expect(buildNotePush({ ...input, noteId: 'a&b=c' }).link).toBe('/?note=a%26b%3Dc');
  });

  it('previews a checklist as its title and first open items, ticked and empty ones left out', () => {
    const items = [
      { id: 'i1', text: 'milk', done: true },
      { id: 'i2', text: 'eggs', done: false },
      { id: 'i3', text: '  ', done: false },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `more-${i}`, text: `thing ${i}`, done: false })),
    ];
    expect(buildNotePush({ ...input, text: 'Groceries', items }).preview).toBe('Groceries\n☐ eggs\n☐ thing 0\n☐ thing 1\n☐ thing 2\n☐ thing 3');
    // A list with no title line: the first open item is the notification's title.
    expect(notificationText(buildNotePush({ ...input, text: '', items }).preview)).toEqual({ title: '☐ eggs', body: '☐ thing 0\n☐ thing 1\n☐ thing 2\n☐ thing 3' });
  });

  it('never sends a negative or fractional count', () => {
    expect(buildNotePush({ ...input, openCount: -2 }).openCount).toBe('0');
    expect(buildNotePush({ ...input, openCount: 1.5 }).openCount).toBe('0');
  });
});

describe('previewOf', () => {
  it('keeps hostile text as inert plain text: markup verbatim, controls and overrides gone, long lines cut', () => {
    expect(previewOf('<script>alert(1)</script>\n<img src=x onerror=alert(1)>')).toBe('<script>alert(1)</script>\n<img src=x onerror=alert(1)>');
    expect(previewOf('Invoice \u202Egpj.exe\u202C and \u2066isolated\u2069')).toBe('Invoice gpj.exe and isolated');
    expect(previewOf('bell\u0007 null\u0000 escape\u001b[31m del\u007f')).toBe('bell null escape[31m del');
    const oneLongLine = previewOf('w'.repeat(100_000));
    expect([...new Intl.Segmenter().segment(oneLongLine)]).toHaveLength(PUSH.PREVIEW_MAX_CHARS);
    // Grapheme clusters stay whole: a family emoji or a letter with stacked marks is never split.
    const family = '👩‍👩‍👧‍👦';
    const zalgo = `Z${'\u0336\u0337\u0338'.repeat(30)}`;
    for (const cluster of [family, zalgo]) {
      const preview = previewOf(cluster.repeat(200));
      expect(preview.endsWith(`${cluster}…`)).toBe(true);
    }
  });

  it('collapses runs of spaces and tabs, trims lines and drops blank lines', () => {
    expect(previewOf('  Pick \t up   milk  \r\n\n\n   and  bread  ')).toBe('Pick up milk\nand bread');
  });

  it('keeps a short text as it is', () => {
    expect(previewOf('x'.repeat(PUSH.PREVIEW_MAX_CHARS))).toBe('x'.repeat(PUSH.PREVIEW_MAX_CHARS));
  });

  it('cuts a long text to the limit, ellipsis included', () => {
    const preview = previewOf('y'.repeat(500));
    expect(preview).toBe(`${'y'.repeat(PUSH.PREVIEW_MAX_CHARS - 1)}…`);
    expect([...preview]).toHaveLength(PUSH.PREVIEW_MAX_CHARS);
  });

  it('never cuts inside an emoji (surrogate pair or ZWJ sequence)', () => {
    const family = '👨‍👩‍👧';
    const preview = previewOf(`${'a'.repeat(PUSH.PREVIEW_MAX_CHARS - 2)}${family}${family}${family}`);
    expect(preview).toBe(`${'a'.repeat(PUSH.PREVIEW_MAX_CHARS - 2)}${family}…`);
    // No lone surrogates: encoding and decoding as UTF-8 gives the same string back.
    expect(new TextDecoder().decode(new TextEncoder().encode(preview))).toBe(preview);
  });

  it('does not leave a space before the ellipsis', () => {
    expect(previewOf(`${'w'.repeat(PUSH.PREVIEW_MAX_CHARS - 2)} tail that goes on`)).toBe(`${'w'.repeat(PUSH.PREVIEW_MAX_CHARS - 2)}…`);
  });

  it('is empty for whitespace only', () => {
    expect(previewOf(' \n\t \n')).toBe('');
  });
});

describe('buildFcmMessage', () => {
  it('is data-only, high urgency, with a TTL and the link', () => {
    const data = buildNotePush(input);
    const message = buildFcmMessage('token-1', data);
    expect(message).toEqual({
      token: 'token-1',
      data,
      webpush: { headers: { Urgency: 'high', TTL: String(FCM.TTL_SECONDS) }, fcmOptions: { link: '/?note=note-1' } },
    });
    expect(message).not.toHaveProperty('notification');
    expect(message.webpush).not.toHaveProperty('notification');
  });

  it('makes the link absolute with the app origin (FCM requires HTTPS links)', () => {
    const message = buildFcmMessage('t', buildNotePush(input), { appOrigin: 'https://notes.example.com' });
    expect(message.webpush.fcmOptions.link).toBe('https://notes.example.com/?note=note-1');
    expect(message.data.link).toBe('/?note=note-1');
  });
});

describe('parsePushEnvelope', () => {
  const envelope = () => wrapAsFcmDelivers(buildFcmMessage('t', buildNotePush(input)), '999', 'msg-1');

  it('accepts what FCM delivers for the message the function builds', () => {
    const delivered = JSON.parse(JSON.stringify(envelope())) as unknown;
    expect(delivered).toMatchObject({ from: '999', fcmMessageId: 'msg-1', priority: 'high' });
    expect(parsePushEnvelope(delivered)).toEqual({
      ok: true,
      push: { kind: 'note-created', uid: 'alice', noteId: 'note-1', preview: 'Pick up milk\nand bread', color: 'green', openCount: 3, link: '/?note=note-1' },
    });
  });

  it('ignores FCM fields it does not know (collapse_key, productId)', () => {
    expect(parsePushEnvelope({ ...envelope(), collapse_key: 'x', productId: 111 }).ok).toBe(true);
  });

  const broken: [string, unknown][] = [
    ['null', null],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['no data', { from: '1' }],
    ['data as a string', { data: '{"kind":"note-created"}' }],
    ['another version', { data: { ...buildNotePush(input), version: '2' } }],
    ['another kind', { data: { ...buildNotePush(input), kind: 'note-deleted' } }],
    ['no uid', { data: { ...buildNotePush(input), uid: '' } }],
    ['a number for noteId', { data: { ...buildNotePush(input), noteId: 42 } }],
    ['a note id of 65 characters', { data: { ...buildNotePush({ ...input, noteId: 'n'.repeat(65) }) } }],
    ['a color outside the palette', { data: { ...buildNotePush(input), color: 'red' } }],
    ['a count that is not digits', { data: { ...buildNotePush(input), openCount: '-1' } }],
    ['a count as a number', { data: { ...buildNotePush(input), openCount: 3 } }],
    ['a link elsewhere', { data: { ...buildNotePush(input), link: 'https://evil.example/' } }],
    ['a link to another note', { data: { ...buildNotePush(input), link: '/?note=other' } }],
    ['a preview that is not a string', { data: { ...buildNotePush(input), preview: { html: '<b>' } } }],
  ];
  it.each(broken)('says why %s is not a note push, without throwing', (_name, value) => {
    const result = parsePushEnvelope(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toBe('');
  });

  it('survives a getter that throws', () => {
    const hostile = { get data() { throw new Error('boom'); } };
    expect(parsePushEnvelope(hostile)).toEqual({ ok: false, reason: 'unreadable: boom' });
  });
});

describe('notificationText', () => {
  it('takes the first line as the title and the rest as the body', () => {
    expect(notificationText('Pick up milk\nand bread\nand eggs')).toEqual({ title: 'Pick up milk', body: 'and bread\nand eggs' });
  });

  it('says "New note" when there is no text', () => {
    expect(notificationText('')).toEqual({ title: 'New note', body: '' });
  });

  it('keeps markup as text', () => {
    expect(notificationText('<img src=x onerror=alert(1)>').title).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('the test push', () => {
  it('round-trips through the envelope as a test push', () => {
    const envelope = wrapAsFcmDelivers(buildFcmMessage('t', buildTestPush({ uid: 'alice', deviceName: 'Kitchen phone' })));
    expect(parsePushEnvelope(JSON.parse(JSON.stringify(envelope)))).toEqual({
      ok: true,
      push: { kind: 'test', uid: 'alice', deviceName: 'Kitchen phone' },
    });
  });

  it('is refused without a device name', () => {
    expect(parsePushEnvelope({ data: { ...buildTestPush({ uid: 'alice', deviceName: 'x' }), deviceName: '' } }).ok).toBe(false);
  });
});
