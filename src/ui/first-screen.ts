/**
 * The first screen kept as HTML. When the page is hidden with the board on screen, what the
 * screen shows is written to localStorage as static HTML; the next start paints it from
 * index.html's first-screen script, before any module has loaded, and the app takes it away once
 * its own board has painted. A person thus sees their notes as soon as the page itself can paint.
 *
 * The copy is inert (no element in it answers; clicks reach the app beneath it), hidden from
 * assistive technology, and made of closed shadow roots, so nothing can take it for the app. Its
 * custom elements are renamed, so the app's definitions never upgrade them. It is only painted
 * at the same window width, for the notes database it was taken from, on a plain start (no deep
 * link), and it is forgotten with that database (sign-out, an erased device).
 */
import { FIRST_SCREEN, forgetFirstScreen } from '../platform/first-screen-script.js';

/** What is kept: the HTML and what it must match to be painted. */
export interface SavedFirstScreen {
  v: typeof FIRST_SCREEN.VERSION;
  /** The notes database whose board it shows. */
  db: string;
  /** The window's inner width it was laid out for. */
  width: number;
  html: string;
}

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
};

/** Elements never copied: what only shows for a moment, or not at all. */
const TRANSIENT = new Set(['script', 'style', 'template', 'dialog', 'app-snackbar']);

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** A custom element's name in the copy: no definition of the app's matches it. */
const frozen = (name: string) => `${FIRST_SCREEN.TAG_PREFIX}${name}`;

/** `css` with every selector naming one of `tags` as a type renamed as the copy names it. */
function renameTypeSelectors(css: string, tags: ReadonlySet<string>): string {
  let renamed = css;
  for (const tag of tags) renamed = renamed.replace(new RegExp(`(?<![\\w.#:-])${tag}(?![\\w-])`, 'g'), frozen(tag));
  return renamed;
}

class Copier {
  private readonly sheetText = new WeakMap<CSSStyleSheet, string>();
  private readonly customTags = new Set<string>();
  /** Rows below this (viewport pixels) are not on the first screen. */
  constructor(private readonly bottom: number) {}

  copy(host: Element): string {
    const html = this.element(host);
    // Type selectors are renamed last, once every custom element copied is known.
    return html.replace(/<style>([^<]*)<\/style>/g, (_, css: string) => `<style>${renameTypeSelectors(css, this.customTags)}</style>`);
  }

  private styles(root: ShadowRoot): string {
    let css = '';
    for (const sheet of root.adoptedStyleSheets) {
      let text = this.sheetText.get(sheet);
      if (text === undefined) {
        text = Array.from(sheet.cssRules, (rule) => rule.cssText).join('');
        this.sheetText.set(sheet, text);
      }
      css += text;
    }
    return css ? `<style>${css.replace(/</g, '\\3c ')}</style>` : '';
  }

  private children(parent: Node): string {
    let html = '';
    for (const child of Array.from(parent.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) html += escapeText(child.textContent ?? '');
      else if (child instanceof Element) html += this.element(child);
    }
    return html;
  }

  private element(element: Element): string {
    const name = element.localName;
    if (TRANSIENT.has(name) || element.hasAttribute('hidden')) return '';
    // Below the first screen: nothing of it shows at the start.
    const box = element.getBoundingClientRect();
    if (box.top > this.bottom) return '';
    const custom = name.includes('-');
    // A part with nothing on screen (a closed panel's host): its styles would be parsed for nothing.
    if (custom && box.width === 0 && box.height === 0 && getComputedStyle(element).display !== 'contents') return '';
    if (custom) this.customTags.add(name);
    const tag = custom ? frozen(name) : name;
    let attributes = '';
    for (const { name: attribute, value } of Array.from(element.attributes)) {
      // Nothing in the copy answers or takes focus.
      if (attribute.startsWith('on') || attribute === 'autofocus' || attribute === 'id' || attribute === 'checked') continue;
      attributes += ` ${attribute}="${escapeAttribute(value)}"`;
    }
    // A box's tick is its property (the attribute is only where it started).
    if (element instanceof HTMLInputElement && element.checked) attributes += ' checked';
    const shadow = element.shadowRoot;
    const inner = shadow ? `<template shadowrootmode="closed">${this.styles(shadow)}${this.children(shadow)}</template>` : '';
    if (VOID_ELEMENTS.has(name)) return `<${tag}${attributes}>`;
    return `<${tag}${attributes}>${inner}${this.children(element)}</${tag}>`;
  }
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** The screen `app` shows now, as the static HTML the first-screen script paints. */
export function copyFirstScreen(app: Element, viewportHeight: number): string {
  const copy = new Copier(viewportHeight).copy(app);
  return `<div id="${FIRST_SCREEN.ELEMENT_ID}" inert aria-hidden="true"><template shadowrootmode="closed"><style>:host{position:fixed;inset:0;z-index:2147483647;pointer-events:none;overflow:hidden;background:var(--rn-bg)}</style>${copy}</template></div>`;
}

/** Keeps `app`'s screen for the next start of `db`. Never throws: a full or blocked storage keeps none. */
export function saveFirstScreen(app: Element, db: string): void {
  const store = storage();
  if (!store) return;
  try {
    const saved: SavedFirstScreen = { v: FIRST_SCREEN.VERSION, db, width: innerWidth, html: copyFirstScreen(app, innerHeight) };
    const text = JSON.stringify(saved);
    if (text.length > FIRST_SCREEN.MAX_CHARS) store.removeItem(FIRST_SCREEN.STORAGE_KEY);
    else store.setItem(FIRST_SCREEN.STORAGE_KEY, text);
  } catch {
    // Storage full or blocked: the next start paints when the app does, as without a copy.
    forgetFirstScreen();
  }
}
