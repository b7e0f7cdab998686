/**
 * The board's geometry, as arithmetic: cards have one fixed height, so where each card, section
 * heading and drop gap sits follows from the board's width, how many notes it has and how many
 * of them are pinned, with nothing measured. note-board.ts renders from it; board-drag.ts's
 * gestures are turned into gaps here.
 *
 * With a pinned count between none and all, there are two sections, "Pinned" then "Others", each
 * under a full-width heading row; otherwise one section without a heading.
 */

export const CARD_MIN_WIDTH_PX = 170;
export const CARD_HEIGHT_PX = 210;
export const GAP_PX = 14;
export const ROW_PX = CARD_HEIGHT_PX + GAP_PX;
/** A section heading is a full-width row of this height (its gap included). */
export const HEADING_ROW_PX = 44;

export interface Section {
  /** "Pinned" or "Others"; undefined when the board is one list (nothing pinned, or all pinned). */
  heading: 'Pinned' | 'Others' | undefined;
  /** Board index of its first note, and how many it has. */
  start: number;
  count: number;
  /** Top of its first row of cards, in board pixels. */
  top: number;
}

/** Where a card sits: its column and the top of its row, in board pixels. */
export interface Place {
  column: number;
  top: number;
}

export class BoardLayout {
  readonly columns: number;
  /** Width of one card, in pixels (the gaps between columns taken out). */
  readonly cardWidth: number;
  /**
   * The sections as rows of the layout: where each one's cards start (below its heading row, if
   * it has one) and which board indexes it holds. One section when there are no headings.
   */
  readonly sections: readonly Section[];

  constructor(
    readonly width: number,
    total: number,
    pinnedCount: number | undefined,
  ) {
    this.columns = Math.max(1, Math.floor((width + GAP_PX) / (CARD_MIN_WIDTH_PX + GAP_PX)));
    this.cardWidth = (width - GAP_PX * (this.columns - 1)) / this.columns;
    this.sections = sectionsOf(total, pinnedCount ?? 0, this.columns);
  }

  /** The board's height in pixels: down to the last section's last row, without its gap. */
  get height(): number {
    const last = this.sections.at(-1);
    const height = last ? last.top + Math.ceil(last.count / this.columns) * ROW_PX - GAP_PX : 0;
    return Math.max(0, height);
  }

  sectionOf(index: number): Section | undefined {
    return this.sections.find((section) => index >= section.start && index < section.start + section.count);
  }

  placeOf(index: number): Place {
    const section = this.sectionOf(index) ?? { start: 0, top: 0 };
    const within = index - section.start;
    return { column: within % this.columns, top: section.top + Math.floor(within / this.columns) * ROW_PX };
  }

  /** Left edge of a card's column, in board pixels. */
  xOf(column: number): number {
    return column * (this.cardWidth + GAP_PX);
  }

  /**
   * Board indexes of the first and last card in the rows between `from` and `to` (board pixels);
   * first 0 and last -1 when no row is there.
   */
  indexesBetween(from: number, to: number): { first: number; last: number } {
    const columns = this.columns;
    let first = Infinity;
    let last = -1;
    for (const section of this.sections) {
      const rows = Math.ceil(section.count / columns);
      if (section.top + rows * ROW_PX < from || section.top > to) continue;
      const firstRow = Math.max(0, Math.floor((from - section.top) / ROW_PX));
      const lastRow = Math.min(rows - 1, Math.floor((to - section.top) / ROW_PX));
      first = Math.min(first, section.start + firstRow * columns);
      last = Math.max(last, Math.min(section.start + section.count, section.start + (lastRow + 1) * columns) - 1);
    }
    return { first: first === Infinity ? 0 : first, last };
  }

  /**
   * The gap a dragged card would drop into at (x, y) in board pixels, as the board index of the
   * card it would go before (the section's end for its bottom), or undefined where it cannot go:
   * outside its own section, or where it already is.
   */
  gapAt(dragged: number, x: number, y: number): number | undefined {
    const section = this.sectionOf(dragged);
    if (!section) return undefined;
    const columns = this.columns;
    const rows = Math.ceil(section.count / columns);
    // Half a row of slack above and below the section, so its first and last gaps are easy to hit.
    if (y < section.top - ROW_PX / 2 || y > section.top + rows * ROW_PX + ROW_PX / 2) return undefined;
    const row = Math.min(rows - 1, Math.max(0, Math.floor((y - section.top) / ROW_PX)));
    const column = Math.min(columns - 1, Math.max(0, Math.floor(x / (this.cardWidth + GAP_PX))));
    const past = x - column * (this.cardWidth + GAP_PX) > this.cardWidth / 2 ? 1 : 0;
    const gap = Math.min(section.start + section.count, section.start + row * columns + column + past);
    return gap === dragged || gap === dragged + 1 ? undefined : gap;
  }

  /** Where the insertion cue for `gap` goes: in the gap before its card, or after the last of its row. */
  dropCueAt(gap: number): { x: number; top: number } {
    const section = this.sectionOf(gap) ?? this.sectionOf(gap - 1)!;
    const end = section.start + section.count;
    const afterPrevious = gap === end || (gap > section.start && this.placeOf(gap).column === 0);
    const place = this.placeOf(afterPrevious ? gap - 1 : gap);
    const x = this.xOf(place.column) + (afterPrevious ? this.cardWidth + GAP_PX / 2 : -GAP_PX / 2) - 2;
    return { x, top: place.top };
  }
}

function sectionsOf(total: number, pinned: number, columns: number): Section[] {
  if (!(pinned > 0 && pinned < total)) return total > 0 ? [{ heading: undefined, start: 0, count: total, top: 0 }] : [];
  const pinnedRows = Math.ceil(pinned / columns);
  return [
    { heading: 'Pinned', start: 0, count: pinned, top: HEADING_ROW_PX },
    { heading: 'Others', start: pinned, count: total - pinned, top: HEADING_ROW_PX + pinnedRows * ROW_PX + HEADING_ROW_PX },
  ];
}
