/**
 * The layout rules, checked in the page on what the browser actually laid out, through every open
 * shadow root: interactive elements inside the viewport, inside their card and not cut off by an
 * ancestor that hides overflow; no two overlapping; no horizontal scrolling; and, where the pointer
 * is coarse, targets of at least 44x44 CSS px. Each problem names the element, its box and the
 * viewport, so it can be found and fixed.
 *
 * What counts:
 * - Interactive: button, a[href], input, textarea, select, [role=button|checkbox|menuitem|switch|
 *   tab|radio|link], [tabindex], [contenteditable].
 * - Visible: checkVisibility() with opacity and visibility (so display:none, visibility:hidden and
 *   opacity:0 are out), at least 2x2 px (the 1-px "visually hidden" pattern is out), no `inert`
 *   ancestor, and, while a modal dialog is open, inside it (the rest of the page is inert then).
 * - Overlap: two boxes sharing more than half a pixel both ways, unless one element contains the
 *   other in the composed tree (a card and its buttons, a label and its input: exact nesting), or
 *   one of them sits in a position:fixed layer and the other scrolls beneath it (a snackbar over
 *   the board is a layer, not a collision).
 * - Target size: an input's target includes its <label>s (a click on the label is a click on it);
 *   the largest of those boxes must be 44x44.
 * - Cut off: an ancestor with overflow hidden or clip on an axis must contain the element on that
 *   axis (a scrolling ancestor does not cut off: the element can be scrolled to).
 * - Links in running text that is shown as an excerpt (ancestors marked `data-excerpt`: a
 *   card's preview, which shows the start of the note and fades out, and its title clamped to two lines) are judged by the part the
 *   excerpt shows, like the words around them: a link past the excerpt's end is not shown (focus
 *   scrolls the excerpt to it), one at its edge is as cut as its line of text. Being inline in a
 *   sentence, they are exempt from the target size (WCAG 2.5.8's inline exception). Every other
 *   rule holds for them: inside the viewport and the card, not cut off by any other ancestor, no
 *   overlap.
 */
import type { Page } from 'playwright-core';

export interface LayoutRules {
  /** The card of the board, whose interactive elements must stay inside it. */
  cardSelector: string;
  /** Smallest target width and height in CSS px; 0 for a fine pointer. */
  minTargetPx: number;
}

export interface LayoutProblem {
  rule: 'outside viewport' | 'outside card' | 'cut off' | 'overlap' | 'small target' | 'horizontal scroll';
  /** The element, by its hosts, tag, id, classes, role and name: stable across sizes, for grouping. */
  element: string;
  /** What is wrong, with the boxes involved. */
  detail: string;
}

export function checkLayout(page: Page, rules: LayoutRules): Promise<LayoutProblem[]> {
  return page.evaluate(({ cardSelector, minTargetPx }) => {
    const INTERACTIVE = [
      'button',
      'a[href]',
      'input',
      'textarea',
      'select',
      '[role=button]',
      '[role=checkbox]',
      '[role=menuitem]',
      '[role=switch]',
      '[role=tab]',
      '[role=radio]',
      '[role=link]',
      '[tabindex]',
      '[contenteditable=""]',
      '[contenteditable=true]',
    ].join(',');
    const EPSILON = 0.5;
    const viewportWidth = document.documentElement.clientWidth;
    const viewportHeight = document.documentElement.clientHeight;
    const problems: { rule: string; element: string; detail: string }[] = [];

    const all: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        all.push(element);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);

    /** The parent in the composed (flattened) tree: the slot a child is assigned to, or the shadow host. */
    const parentOf = (element: Element): Element | null => {
      if (element.assignedSlot) return element.assignedSlot;
      if (element.parentElement) return element.parentElement;
      const root = element.getRootNode();
      return root instanceof ShadowRoot ? root.host : null;
    };
    const ancestors = (element: Element): Element[] => {
      const list: Element[] = [];
      for (let at = parentOf(element); at; at = parentOf(at)) list.push(at);
      return list;
    };
    const contains = (outer: Element, inner: Element) => ancestors(inner).includes(outer);

    const box = (rect: DOMRect) => `x ${Math.round(rect.left)}–${Math.round(rect.right)}, y ${Math.round(rect.top)}–${Math.round(rect.bottom)} (${Math.round(rect.width)}x${Math.round(rect.height)})`;
    const describe = (element: Element): string => {
      const hosts = ancestors(element)
        .filter((a) => a.shadowRoot !== null && a.tagName.includes('-'))
        .map((a) => a.tagName.toLowerCase())
        .reverse();
      const classes = [...element.classList].map((c) => `.${c}`).join('');
      const id = element.id ? `#${element.id}` : '';
      const role = element.getAttribute('role');
      const name = (element.getAttribute('aria-label') ?? element.getAttribute('title') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
      const type = element instanceof HTMLInputElement ? `[type=${element.type}]` : '';
      return `${[...hosts, `${element.tagName.toLowerCase()}${type}${id}${classes}`].join(' › ')}${role ? ` role=${role}` : ''}${name ? ` "${name}"` : ''}`;
    };

    const modals = all.filter((element) => element instanceof HTMLDialogElement && element.matches(':modal'));
    const topModal = modals.at(-1);
    const isVisible = (element: Element): boolean => {
      if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
      const rect = element.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2) return false;
      const chain = ancestors(element);
      if (element.hasAttribute('inert') || chain.some((a) => a.hasAttribute('inert'))) return false;
      return topModal === undefined || chain.includes(topModal);
    };
    /**
     * The ancestors that can clip an element: up to the first fixed or top-layer (modal dialog)
     * box on its way up, which ancestors above no longer clip.
     */
    const clippingAncestors = (element: Element): Element[] => {
      const list: Element[] = [];
      for (let at: Element | null = element; at; ) {
        if (getComputedStyle(at).position === 'fixed' || (at instanceof HTMLDialogElement && at.matches(':modal'))) break;
        at = parentOf(at);
        if (at && at !== document.documentElement && at !== document.body) list.push(at);
      }
      return list;
    };
    /** The part of an element's box left visible by ancestors that hide or scroll their overflow. */
    const visibleRect = (element: Element): DOMRect => {
      const rect = element.getBoundingClientRect();
      let [left, top, right, bottom] = [rect.left, rect.top, rect.right, rect.bottom];
      for (const ancestor of clippingAncestors(element)) {
        const style = getComputedStyle(ancestor);
        const outer = ancestor.getBoundingClientRect();
        if (style.overflowX !== 'visible') [left, right] = [Math.max(left, outer.left), Math.min(right, outer.right)];
        if (style.overflowY !== 'visible') [top, bottom] = [Math.max(top, outer.top), Math.min(bottom, outer.bottom)];
      }
      return new DOMRect(left, top, Math.max(0, right - left), Math.max(0, bottom - top));
    };
    const inFixedLayer = (element: Element) => [element, ...ancestors(element)].some((a) => getComputedStyle(a).position === 'fixed');

    /**
     * Wholly above or left of the page's origin, where no scrolling reaches: not a target anyone can
     * hit or see (the hidden helper iframe of Firebase Auth sits at y -100 px, 5x5).
     */
    const unreachable = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return rect.bottom + window.scrollY <= 0 || rect.right + window.scrollX <= 0;
    };
    const targets = all.filter((element) => element.matches(INTERACTIVE) && isVisible(element) && !unreachable(element));
    const rects = new Map(targets.map((element) => [element, element.getBoundingClientRect()]));
    const names = new Map(targets.map((element) => [element, describe(element)]));

    for (const element of targets) {
      const name = names.get(element)!;
      const chain = ancestors(element);
      // A card's preview and its clamped title line are both excerpts: judged by what they show.
      const excerpts = element.matches('a[href]') ? chain.filter((a) => a.hasAttribute('data-excerpt')) : [];
      const excerpt = excerpts[0];
      let rect = rects.get(element)!;
      for (const outer of excerpts.map((a) => a.getBoundingClientRect())) {
        const [left, top] = [Math.max(rect.left, outer.left), Math.max(rect.top, outer.top)];
        rect = new DOMRect(left, top, Math.max(0, Math.min(rect.right, outer.right) - left), Math.max(0, Math.min(rect.bottom, outer.bottom) - top));
      }
      if (excerpt && (rect.width < 2 || rect.height < 2)) continue;
      const horizontallyScrolled = chain.some((a) => a !== document.documentElement && a !== document.body && ['auto', 'scroll'].includes(getComputedStyle(a).overflowX));
      if (!horizontallyScrolled && (rect.left < -EPSILON || rect.right > viewportWidth + EPSILON)) {
        problems.push({ rule: 'outside viewport', element: name, detail: `box ${box(rect)} in a ${viewportWidth}x${viewportHeight} viewport` });
      }

      // A card holds what is laid out in it; a menu the card opens in the top layer (a popover,
      // position: fixed) is drawn above the page, not in the card, and may reach past it.
      const firstLayer = chain.findIndex((a) => getComputedStyle(a).position === 'fixed');
      const card = (firstLayer < 0 ? chain : chain.slice(0, firstLayer)).find((a) => a.matches(cardSelector));
      let outsideCard = false;
      if (card) {
        const cardRect = card.getBoundingClientRect();
        outsideCard =
          rect.left < cardRect.left - EPSILON || rect.right > cardRect.right + EPSILON || rect.top < cardRect.top - EPSILON || rect.bottom > cardRect.bottom + EPSILON;
        if (outsideCard) problems.push({ rule: 'outside card', element: name, detail: `box ${box(rect)}, card ${box(cardRect)}, viewport ${viewportWidth}x${viewportHeight}` });
      }

      // Past a scrolling ancestor, an axis is no longer cut by what clips further out: the element
      // scrolls into view inside it (a tall list item in the opened note's scrolling sheet).
      let scrollsX = false;
      let scrollsY = false;
      for (const ancestor of clippingAncestors(element)) {
        if (excerpts.includes(ancestor)) continue;
        // The card's own clipping is the "outside card" problem already.
        if (outsideCard && card && (ancestor === card || contains(card, ancestor))) continue;
        const style = getComputedStyle(ancestor);
        const clipsX = !scrollsX && ['hidden', 'clip'].includes(style.overflowX);
        const clipsY = !scrollsY && ['hidden', 'clip'].includes(style.overflowY);
        scrollsX ||= ['auto', 'scroll'].includes(style.overflowX);
        scrollsY ||= ['auto', 'scroll'].includes(style.overflowY);
        if (!clipsX && !clipsY) continue;
        const outer = ancestor.getBoundingClientRect();
        const cutX = clipsX && (rect.left < outer.left - EPSILON || rect.right > outer.right + EPSILON);
        const cutY = clipsY && (rect.top < outer.top - EPSILON || rect.bottom > outer.bottom + EPSILON);
        if (cutX || cutY) {
          problems.push({ rule: 'cut off', element: name, detail: `box ${box(rect)} cut off by ${describe(ancestor)} at ${box(outer)}, viewport ${viewportWidth}x${viewportHeight}` });
          break;
        }
      }

      if (minTargetPx > 0 && !excerpt) {
        const labels = element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement ? [...(element.labels ?? [])] : [];
        const candidates = [rect, ...labels.map((label) => label.getBoundingClientRect())];
        const fits = candidates.some((r) => r.width >= minTargetPx - EPSILON && r.height >= minTargetPx - EPSILON);
        if (!fits) {
          const largest = candidates.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
          problems.push({ rule: 'small target', element: name, detail: `target ${Math.round(largest.width)}x${Math.round(largest.height)} < ${minTargetPx}x${minTargetPx}, box ${box(rect)}, viewport ${viewportWidth}x${viewportHeight}` });
        }
      }
    }

    // Overlap is judged on what is left visible: a button cut off by its card's overflow is the
    // "outside card" problem, and its hidden part neither shows nor takes clicks over a neighbour.
    const shown = new Map(targets.map((element) => [element, visibleRect(element)]));
    for (let i = 0; i < targets.length; i++) {
      for (let j = i + 1; j < targets.length; j++) {
        const a = targets[i]!;
        const b = targets[j]!;
        const ra = shown.get(a)!;
        const rb = shown.get(b)!;
        const overlapX = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const overlapY = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (overlapX <= EPSILON || overlapY <= EPSILON) continue;
        if (contains(a, b) || contains(b, a)) continue;
        if (inFixedLayer(a) !== inFixedLayer(b)) continue;
        problems.push({
          rule: 'overlap',
          element: `${names.get(a)!} ✕ ${names.get(b)!}`,
          detail: `boxes ${box(ra)} and ${box(rb)} share ${Math.round(overlapX)}x${Math.round(overlapY)} px, viewport ${viewportWidth}x${viewportHeight}`,
        });
      }
    }

    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      // The culprits: visible elements reaching past the right edge whose children do not (the deepest ones).
      const wide = all.filter((element) => element.checkVisibility() && element.getBoundingClientRect().right > viewportWidth + EPSILON);
      const deepest = wide.filter((element) => !wide.some((other) => other !== element && contains(element, other))).slice(0, 5);
      problems.push({
        rule: 'horizontal scroll',
        element: 'the page',
        detail: `content ${root.scrollWidth} px wide in a ${root.clientWidth}x${viewportHeight} viewport; reaching past the edge: ${deepest.map((e) => `${describe(e)} at ${box(e.getBoundingClientRect())}`).join('; ')}`,
      });
    }
    for (const element of all) {
      if (element === root || element === document.body || element instanceof HTMLTextAreaElement) continue;
      if (!['auto', 'scroll'].includes(getComputedStyle(element).overflowX) || !isVisible(element)) continue;
      if (element.scrollWidth > element.clientWidth + 1) {
        problems.push({ rule: 'horizontal scroll', element: describe(element), detail: `content ${element.scrollWidth} px wide in a ${element.clientWidth}-px box at ${box(element.getBoundingClientRect())}, viewport ${viewportWidth}x${viewportHeight}` });
      }
    }
    return problems;
  }, rules) as Promise<LayoutProblem[]>;
}

/** One readable line per problem, for a failing test's message. */
export function formatProblems(problems: readonly LayoutProblem[]): string {
  return problems.map((p) => `  [${p.rule}] ${p.element}\n      ${p.detail}`).join('\n');
}

/** Problems grouped by rule and element, with where each was seen: the list to fix, without repeats. */
export function summarizeProblems(seen: readonly { where: string; problem: LayoutProblem }[]): string {
  const groups = new Map<string, Set<string>>();
  for (const { where, problem } of seen) {
    const key = `[${problem.rule}] ${problem.element}`;
    groups.set(key, (groups.get(key) ?? new Set()).add(where));
  }
  return [...groups].map(([key, wheres]) => `${key}\n    seen in: ${[...wheres].join('; ')}`).join('\n');
}
