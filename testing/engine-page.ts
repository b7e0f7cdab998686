/**
 * One page of the app in any browser engine, as a browser test drives it: find elements the way
 * a person names them (role and accessible name, visible text, or a CSS selector as the last
 * resort) through the Lit components' shadow roots, and click, type, press keys, read and wait.
 * The engine-specific part is a Tab (testing/engines.ts): navigation, script, and real pointer and
 * keyboard input. Finding runs in the page (one script, the same in every engine), so a test
 * written once behaves the same in Chromium, Firefox and WebKit.
 */

/** What a test asks of an engine's page; testing/engines.ts has one per engine. */
export interface Tab {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** Runs a JavaScript expression in the page (a promise is awaited); the value comes back as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** A real mouse click at viewport coordinates. */
  clickAt(x: number, y: number): Promise<void>;
  /** Presses one key or a chord, in Playwright's names: 'Enter', 'Escape', 'Shift+Enter', 'a'. */
  press(key: string): Promise<void>;
  /** Types text into whatever has focus, key by key. */
  type(text: string): Promise<void>;
  /** A PNG of the viewport, to look at what a test saw. */
  screenshot(): Promise<Buffer>;
}

/** A name or text matched exactly (after trimming and collapsing spaces), or by a pattern. */
export type Match = string | RegExp;

/** How a test points at an element. `within` narrows the search to the first match of another query. */
export interface Query {
  role?: string;
  name?: Match;
  /** Visible text the element holds (a substring; the innermost element holding it). */
  text?: Match;
  /** Text anywhere inside the element, its shadow root included (a card by what it says). */
  hasText?: string;
  css?: string;
  within?: Query;
  /** Include elements that take no space on screen (closed dialogs, display: none). */
  hidden?: boolean;
}

export const roleQuery = (role: string, name?: Match, within?: Query): Query => ({ role, name, within });
export const textQuery = (text: Match, within?: Query): Query => ({ text, within });
export const cssQuery = (css: string, within?: Query): Query => ({ css, within });

type WireMatch = string | { source: string; flags: string } | undefined;
interface WireQuery {
  role?: string;
  name?: WireMatch;
  text?: WireMatch;
  hasText?: string;
  css?: string;
  within?: WireQuery;
  hidden?: boolean;
}
export interface Found {
  count: number;
  /** The first match's centre in viewport coordinates, after scrolling it into view. */
  x: number;
  y: number;
  /** Whether a click at the centre lands on the element (nothing covers it) and it is enabled. */
  hit: boolean;
}

const wire = (m: Match | undefined): WireMatch => (m instanceof RegExp ? { source: m.source, flags: m.flags } : m);
const toWire = (q: Query): WireQuery => ({ ...q, name: wire(q.name), text: wire(q.text), within: q.within && toWire(q.within) });

/**
 * The in-page finder, serialized into each call (a reload forgets anything installed). `action`:
 * 'count' counts; 'locate' also scrolls the first into view and says where it is; 'focus' focuses
 * it and selects its text; 'value' reads its value (or text); 'element' returns it to a script.
 */
function inPage(query: WireQuery, action: string): unknown {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (m: WireMatch, value: string, substring: boolean) =>
    m === undefined ? true : typeof m === 'string' ? (substring ? value.includes(m) : value === m) : new RegExp(m.source, m.flags).test(value);
  const all = (root: Element | ShadowRoot | Document): Element[] => {
    const out: Element[] = [];
    const walk = (node: Element | ShadowRoot | Document) => {
      for (const child of Array.from(node.children)) {
        out.push(child);
        if (child.shadowRoot) walk(child.shadowRoot);
        walk(child);
      }
    };
    if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
    walk(root);
    return out;
  };
  const implicitRole = (el: Element): string => {
    const tag = el.localName;
    const type = (el.getAttribute('type') ?? 'text').toLowerCase();
    if (tag === 'button') return 'button';
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'input') {
      if (['button', 'submit', 'reset'].includes(type)) return 'button';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      if (type === 'search') return 'searchbox';
      if (['text', 'email', 'url', 'tel', 'password'].includes(type)) return 'textbox';
    }
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'dialog') return 'dialog';
    if (tag === 'ul' || tag === 'ol') return 'list';
    if (tag === 'li') return 'listitem';
    if (tag === 'article') return 'article';
    if (tag === 'output') return 'status';
    return '';
  };
  // Text a screen reader hears: not what aria-hidden hides (a count badge beside its label).
  const shownText = (node: Node): string =>
    node.nodeType === Node.TEXT_NODE
      ? (node as Text).data
      : node instanceof Element && (node.getAttribute('aria-hidden') === 'true' || ['style', 'script'].includes(node.localName))
        ? ''
        : Array.from(node.childNodes).map(shownText).join('');
  const roleOf = (el: Element) => el.getAttribute('role') ?? implicitRole(el);
  const nameOf = (el: Element): string => {
    const root = el.getRootNode() as Document | ShadowRoot;
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return norm(labelledBy.split(/\s+/).map((id) => root.getElementById?.(id)?.textContent ?? '').join(' '));
    const label = el.getAttribute('aria-label');
    if (label) return norm(label);
    if (el.id) {
      const forLabel = root.querySelector?.(`label[for="${CSS.escape(el.id)}"]`);
      if (forLabel) return norm(forLabel.textContent);
    }
    const wrapping = el.closest('label');
    if (wrapping && wrapping !== el) return norm(wrapping.textContent);
    if (['input', 'textarea'].includes(el.localName)) return norm(el.getAttribute('placeholder') ?? el.getAttribute('title'));
    return norm(shownText(el)) || norm(el.getAttribute('title'));
  };
  const visible = (el: Element) => {
    if (el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const deepText = (node: Node): string =>
    node.nodeType === Node.TEXT_NODE
      ? (node as Text).data
      : [...((node as Element).shadowRoot ? [(node as Element).shadowRoot!] : []), ...Array.from(node.childNodes)]
          .map((child) => (child.nodeName === 'STYLE' || child.nodeName === 'SCRIPT' ? '' : deepText(child)))
          .join(' ');
  const find = (q: WireQuery, scope: Element | Document): Element[] => {
    let found = all(scope);
    if (q.css) found = found.filter((el) => el.matches(q.css!));
    if (q.hasText !== undefined) found = found.filter((el) => norm(deepText(el)).includes(q.hasText!));
    if (q.role) found = found.filter((el) => roleOf(el) === q.role && matches(q.name, nameOf(el), false));
    if (q.text !== undefined) {
      const holds = (el: Element) => matches(q.text, norm(el.textContent), true);
      // The innermost holder: none of its children (light or shadow) holds the text too.
      found = found.filter((el) => holds(el) && !Array.from(el.children).some(holds) && !(el.shadowRoot && all(el.shadowRoot).some(holds)));
    }
    return q.hidden ? found : found.filter(visible);
  };
  const scopeOf = (q: WireQuery): Element | Document | undefined => {
    if (!q.within) return document;
    const outer = scopeOf(q.within);
    // A scope need not take space itself (a custom element around a top-layer dialog).
    return outer && find({ ...q.within, hidden: true }, outer)[0];
  };
  const scope = scopeOf(query);
  const found = scope ? find(query, scope) : [];
  const first = found[0] as HTMLElement | undefined;
  if (action === 'count') return found.length;
  if (action === 'element') return first ?? null;
  if (!first) return null;
  if (action === 'value') return 'value' in first ? (first as HTMLInputElement).value : norm(first.textContent);
  if (action === 'focus') {
    first.focus();
    if (first instanceof HTMLInputElement || first instanceof HTMLTextAreaElement) first.select();
    return true;
  }
  first.scrollIntoView({ block: 'center', inline: 'center' });
  const box = first.getBoundingClientRect();
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  let hitElement: Element | null = document.elementFromPoint(x, y);
  while (hitElement?.shadowRoot) {
    const inner = hitElement.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hitElement) break;
    hitElement = inner;
  }
  let hit = false;
  for (let node: Node | null = hitElement; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) if (node === first) hit = true;
  return { count: found.length, x, y, hit: hit && !first.matches(':disabled') };
}

const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 50;
/** Polls in a row with no new resource loaded that count as settled (with POLL_MS: ~250 ms). */
const SETTLED_POLLS = 5;

export class EnginePage {
  constructor(
    readonly tab: Tab,
    /** The base URL relative paths resolve against. */
    readonly baseUrl: string,
  ) {}

  private run<T>(query: Query, action: string): Promise<T> {
    return this.tab.evaluate<T>(`(${inPage.toString()})(${JSON.stringify(toWire(query))}, ${JSON.stringify(action)})`);
  }

  /** Runs `fn(arg)` in the page and returns its (JSON) result. `fn` must use nothing from outside. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return this.tab.evaluate<T>(`(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`);
  }

  /** Waits until `check` returns a value that `done` accepts (by default: truthy), and returns it. */
  async waitUntil<T>(check: () => Promise<T>, what: string, done: (value: T) => boolean = Boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let failure: unknown;
    while (Date.now() < deadline) {
      try {
        last = await check();
        if (done(last)) return last;
        failure = undefined;
      } catch (error) {
        // A navigation under way destroys the page's script context: try again.
        failure = error;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}${failure ? ` (${String(failure)})` : ''}`);
  }

  /** Opens `path` (relative to the base URL; once this page settled) and waits until the app has rendered. */
  async open(path = '/'): Promise<void> {
    await this.settle();
    await this.tab.goto(new URL(path, this.baseUrl).href);
    await this.waitForApp();
  }

  /** Goes to an absolute URL, the app's or another site's (once this page settled), and waits only for its load. */
  async goto(url: string): Promise<void> {
    await this.settle();
    await this.tab.goto(url);
  }

  /**
   * Reloads once the page has settled, so no load the app started (a chunk after first paint) is
   * cut off: Firefox reports a cut-off load the worker was answering as an error of the page.
   */
  async reload(): Promise<void> {
    await this.settle();
    await this.tab.reload();
    await this.waitForApp();
  }

  /** Waits until the document has loaded and no resource has finished loading for a few polls. */
  async settle(): Promise<void> {
    let previous = -1;
    let quietPolls = 0;
    await this.waitUntil(
      async () => {
        const loaded = await this.evaluate(() => (document.readyState === 'complete' ? performance.getEntriesByType('resource').length : -1));
        quietPolls = loaded >= 0 && loaded === previous ? quietPolls + 1 : 0;
        previous = loaded;
        return quietPolls >= SETTLED_POLLS;
      },
      'the page to finish loading',
    );
  }

  /** Waits until <notes-app> is defined and has rendered. */
  waitForApp(): Promise<unknown> {
    return this.waitUntil(
      () =>
        this.evaluate(() => {
          const app = document.querySelector('notes-app') as (Element & { hasUpdated?: boolean }) | null;
          return customElements.get('notes-app') !== undefined && app?.hasUpdated === true;
        }),
      'the app to render',
      Boolean,
      30_000,
    );
  }

  count(query: Query): Promise<number> {
    return this.run<number>(query, 'count');
  }

  /** Waits for the query to match (or, with gone, to match nothing). */
  async waitFor(query: Query, options: { gone?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.waitUntil(
      () => this.count(query),
      `${JSON.stringify(toWire(query))} to ${options.gone ? 'disappear' : 'appear'}`,
      (n) => (options.gone ? n === 0 : n > 0),
      options.timeoutMs,
    );
  }

  /** Clicks the first match with the real mouse, once it is there, enabled and nothing covers its centre. */
  async click(query: Query): Promise<void> {
    // Stable too: at the same place in two looks in a row, so an opening dialog's animation does
    // not move it from under the pointer.
    let previous: Found | null = null;
    const found = await this.waitUntil(
      async () => {
        const [before, now] = [previous, await this.run<Found | null>(query, 'locate')];
        previous = now;
        return before && now && before.x === now.x && before.y === now.y ? now : null;
      },
      `${JSON.stringify(toWire(query))} to be clickable`,
      (f) => f?.hit === true,
    );
    await this.tab.clickAt(found!.x, found!.y);
  }

  /** Focuses the first match, selects what it holds, and types `text` over it key by key. */
  async fill(query: Query, text: string): Promise<void> {
    await this.waitUntil(() => this.run<boolean | null>(query, 'focus'), `${JSON.stringify(toWire(query))} to take focus`);
    if (text === '') await this.tab.press('Backspace');
    else await this.tab.type(text);
  }

  press(key: string): Promise<void> {
    return this.tab.press(key);
  }

  type(text: string): Promise<void> {
    return this.tab.type(text);
  }

  /** The first match's value (a field) or its text (anything else). */
  async value(query: Query): Promise<string> {
    await this.waitFor(query);
    return (await this.run<string | null>(query, 'value')) ?? '';
  }

  /**
   * Runs `fn(element, arg)` on the first match, in the page. The finder and `fn` are both
   * serialized, so `fn` uses nothing from outside.
   */
  async evaluateOn<T, A = undefined>(query: Query, fn: (element: HTMLElement, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    await this.waitFor(query);
    return this.tab.evaluate<T>(
      `(${fn.toString()})((${inPage.toString()})(${JSON.stringify(toWire(query))}, 'element'), ${arg === undefined ? 'undefined' : JSON.stringify(arg)})`,
    );
  }
}
