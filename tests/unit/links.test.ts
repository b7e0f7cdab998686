/**
 * The link tokenizer of note text (src/ui/links.ts): which addresses become links, where a link
 * ends, and that every other scheme and every trick stays plain text. The parts always join back
 * into the text, so nothing typed is lost or reordered.
 */
import { describe, expect, it } from 'vitest';
import { linkTarget, splitLinks, type TextPart } from '../../src/ui/links.js';

const links = (text: string) => splitLinks(text).filter((part): part is Extract<TextPart, { kind: 'link' }> => part.kind === 'link');

function expectLossless(text: string): void {
  expect(
    splitLinks(text)
      .map((part) => part.text)
      .join(''),
  ).toBe(text);
}

describe('splitLinks', () => {
  it('leaves text without addresses as one plain part, and empty text as none', () => {
    expect(splitLinks('Pick up milk')).toEqual([{ kind: 'text', text: 'Pick up milk' }]);
    expect(splitLinks('')).toEqual([]);
  });

  it('finds http, https and mailto addresses among text', () => {
    const text = 'See https://example.com/a, http://example.org and mailto:ana@example.com now';
    expect(splitLinks(text)).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/a', href: 'https://example.com/a' },
      { kind: 'text', text: ', ' },
      { kind: 'link', text: 'http://example.org', href: 'http://example.org/' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'mailto:ana@example.com', href: 'mailto:ana@example.com' },
      { kind: 'text', text: ' now' },
    ]);
    expectLossless(text);
  });

  it('takes the scheme in any case, and links to the normalized address', () => {
    expect(links('HTTPS://Example.COM/Path')).toEqual([{ kind: 'link', text: 'HTTPS://Example.COM/Path', href: 'https://example.com/Path' }]);
  });

  it.each([
    ['a full stop', 'Go to https://example.com/x.', 'https://example.com/x'],
    ['a comma', 'https://example.com/x, then', 'https://example.com/x'],
    ['a closing parenthesis it did not open', '(see https://example.com/x)', 'https://example.com/x'],
    ['quotes', '"https://example.com/x"', 'https://example.com/x'],
    ['several marks', 'https://example.com/x?!).', 'https://example.com/x'],
  ])('ends before %s', (_name, text, link) => {
    expect(links(text).map((part) => part.text)).toEqual([link]);
    expectLossless(text);
  });

  it('keeps a closing parenthesis that belongs to the address', () => {
    expect(links('https://en.wikipedia.org/wiki/Lisp_(programming_language).').map((part) => part.text)).toEqual([
      'https://en.wikipedia.org/wiki/Lisp_(programming_language)',
    ]);
  });

  it('keeps query strings and fragments', () => {
    expect(links('https://example.com/a?b=1&c=2#top')[0]?.href).toBe('https://example.com/a?b=1&c=2#top');
  });

  it('a link per line, and links next to line breaks', () => {
    const text = 'https://a.example\nhttps://b.example\n';
    expect(links(text).map((part) => part.text)).toEqual(['https://a.example', 'https://b.example']);
    expectLossless(text);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: in capitals', 'JAVASCRIPT:alert(1)'],
    ['javascript: with a comment that looks like a URL', 'javascript://example.com/%0Aalert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['data: in base64', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://example.com/file'],
    ['blob:', 'blob:https://example.com/uuid'],
    ['a scheme glued to a word', 'xhttps://example.com'],
    ['a scheme glued to a dot', 'evil.https://example.com'],
    ['http:// without a host', 'http://'],
    ['https:// with a space after it', 'https:// example.com'],
    ['a mailto: without an address', 'mailto:'],
    ['a mailto: without an @', 'mailto:nobody'],
    ['an address without a scheme', 'www.example.com'],
    ['a bare email address', 'ana@example.com'],
    ['markup', '<a href="https://example.com">x</a> <img src=x onerror=alert(1)>'],
  ])('leaves %s as text', (_name, text) => {
    const parts = splitLinks(text);
    // Only a https link inside the markup case may appear, and then only as the plain address.
    for (const part of parts) if (part.kind === 'link') expect(part.href).toMatch(/^https:\/\/example\.com\//);
    expect(parts.filter((part) => part.kind === 'link' && !/^https:/.test(part.href))).toEqual([]);
    expectLossless(text);
    if (!text.includes('<a href')) expect(parts.some((part) => part.kind === 'link')).toBe(false);
  });

  it('does not let quotes or angle brackets into a link (no attribute can be broken out of)', () => {
    const text = 'https://example.com/"onmouseover="alert(1) https://example.com/<script>';
    const found = links(text);
    expect(found.map((part) => part.text)).toEqual(['https://example.com/', 'https://example.com/']);
    for (const part of found) expect(part.href).not.toMatch(/["<>\s]/);
    expectLossless(text);
  });

  it('keeps a javascript: prefix as text and links only the https address after it', () => {
    const text = 'javascript:https://example.com/x';
    expect(splitLinks(text)).toEqual([{ kind: 'text', text: 'javascript:https://example.com/x' }]);
  });

  it('shows bidirectional overrides as typed, while the link goes where the address says', () => {
    const text = 'https://example.com/\u202Egnp.exe';
    const [link] = links(text);
    expect(link?.text).toBe(text);
    expect(link?.href).toBe('https://example.com/%E2%80%AEgnp.exe');
  });

  it('splits a note-sized text (20,000 characters) full of addresses losslessly', () => {
    const text = 'https://example.com/a '.repeat(900).slice(0, 20_000);
    const parts = splitLinks(text);
    expect(parts.filter((part) => part.kind === 'link').length).toBeGreaterThan(800);
    expectLossless(text);
  });
});

describe('linkTarget', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['http://127.0.0.1:8080/x', 'http://127.0.0.1:8080/x'],
    ['mailto:ana@example.com?subject=Hi', 'mailto:ana@example.com?subject=Hi'],
  ])('accepts %s', (candidate, href) => {
    expect(linkTarget(candidate)).toBe(href);
  });

  it.each(['javascript:alert(1)', 'data:,x', 'https://', 'mailto:', 'not a url', 'ws://example.com'])('refuses %s', (candidate) => {
    expect(linkTarget(candidate)).toBeUndefined();
  });
});

/**
 * Hostile lengths: 200,000 characters (ten times a note) of what could make a tokenizer quadratic
 * or backtrack. Linear work takes milliseconds; quadratic work on this length takes minutes, so the
 * generous bound holds on a loaded machine and still fails for the wrong algorithm.
 */
describe('splitLinks on hostile lengths', () => {
  it.each([
    ['closing parentheses', ')'],
    ['full stops', '.'],
    ['opening parentheses', '('],
    ['slashes', '/'],
  ])('an address followed by 200,000 %s stays linear', (_name, char) => {
    const text = `https://example.com/x${char.repeat(200_000)}`;
    const started = performance.now();
    const [link] = links(text);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(link?.href.startsWith('https://example.com/x')).toBe(true);
    expectLossless(text);
  });
});
