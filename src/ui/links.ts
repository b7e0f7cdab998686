/**
 * Links in note text: http(s) and mailto addresses become anchors (a new tab, no opener, no
 * referrer); everything else, other schemes included (javascript:, data:, file:, ...), stays text.
 * Only a written scheme makes a link ("www.example.com" and bare addresses stay text), so what
 * becomes clickable is exactly what the person typed as an address. Rendered with Lit templates:
 * the text and the href are bound as values, never parsed as markup.
 */
import { html, type TemplateResult } from 'lit';

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/**
 * A candidate starts where a scheme starts a word (not inside "xhttps://", nor after a letter,
 * digit or one of the URL characters that would make it part of something longer) and runs to
 * the next whitespace. Trailing punctuation that usually ends a sentence is trimmed after.
 */
const CANDIDATE = /(?<![\p{L}\p{N}_\-.+/:@])(?:https?:\/\/|mailto:)[^\s<>"]+/giu;
const TRAILING_CHARS = '.,;:!?\'"’”…)]}>';
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Drops sentence punctuation from the end of a candidate, one character at a time, but keeps a
 * closing bracket the candidate opened ("…/Lisp_(language)"). Linear in the candidate's length.
 */
function trimEnd(candidate: string): string {
  const depth: Record<string, number> = { '(': 0, '[': 0, '{': 0 };
  for (const char of candidate) {
    if (char in depth) depth[char]! += 1;
    else if (char in PAIRS) depth[PAIRS[char]!]! -= 1;
  }
  let end = candidate.length;
  while (end > 0 && TRAILING_CHARS.includes(candidate[end - 1]!)) {
    const open = PAIRS[candidate[end - 1]!];
    // More closing than opening brackets of this kind: this one closes something outside.
    if (open !== undefined && depth[open]! >= 0) break;
    if (open !== undefined) depth[open]! += 1;
    end -= 1;
  }
  return candidate.slice(0, end);
}

/** The address a link goes to, or undefined when the candidate is not a usable http(s)/mailto URL. */
export function linkTarget(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.hostname === '' ? undefined : url.href;
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? url.href : undefined;
  return undefined;
}

/** Splits text into plain parts and links, in order; joined, the parts' texts are the text. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    const candidate = trimEnd(match[0]);
    const href = linkTarget(candidate);
    if (href === undefined) continue;
    if (start > plainFrom) parts.push({ kind: 'text', text: text.slice(plainFrom, start) });
    parts.push({ kind: 'link', text: candidate, href });
    plainFrom = start + candidate.length;
  }
  if (plainFrom < text.length) parts.push({ kind: 'text', text: text.slice(plainFrom) });
  return parts;
}

/**
 * Text with its links as anchors. A click on a link opens it and nothing else: it is stopped
 * before the card (or whatever holds the text) takes it as "open this note".
 */
export function renderWithLinks(text: string): (string | TemplateResult)[] {
  return splitLinks(text).map((part) =>
    part.kind === 'text'
      ? part.text
      : // Not draggable: a mouse drag that starts on a link moves the card, as anywhere on it.
        html`<a href=${part.href} target="_blank" rel="noopener noreferrer" draggable="false" @click=${stopAtLink}>${part.text}</a>`,
  );
}

function stopAtLink(event: Event): void {
  event.stopPropagation();
}
