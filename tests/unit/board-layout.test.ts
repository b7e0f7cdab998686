/**
 * The board's geometry (src/ui/board-layout.ts): columns, the Pinned/Others sections, where cards
 * and drop cues sit, which cards a band of the page holds, and which gap a point drops into.
 */
import { describe, expect, it } from 'vitest';
import { BoardLayout, CARD_MIN_WIDTH_PX, GAP_PX, HEADING_ROW_PX, ROW_PX } from '../../src/ui/board-layout.js';

/** Exactly `columns` columns of the narrowest card. */
const widthFor = (columns: number) => columns * CARD_MIN_WIDTH_PX + (columns - 1) * GAP_PX;

describe('board layout', () => {
  it('fits as many columns as the width allows, at least one', () => {
    expect(new BoardLayout(widthFor(3), 10, undefined).columns).toBe(3);
    expect(new BoardLayout(widthFor(3) - 1, 10, undefined).columns).toBe(2);
    expect(new BoardLayout(50, 10, undefined).columns).toBe(1);
    expect(new BoardLayout(widthFor(3), 10, undefined).cardWidth).toBe(CARD_MIN_WIDTH_PX);
  });

  it('has one section without a heading unless some but not all notes are pinned', () => {
    for (const pinned of [undefined, 0, 5]) {
      expect(new BoardLayout(widthFor(2), 5, pinned).sections).toEqual([{ heading: undefined, start: 0, count: 5, top: 0 }]);
    }
    expect(new BoardLayout(widthFor(2), 0, undefined).sections).toEqual([]);
    expect(new BoardLayout(widthFor(2), 0, undefined).height).toBe(0);
  });

  it('puts Others below the pinned rows and its own heading', () => {
    const layout = new BoardLayout(widthFor(2), 5, 3);
    expect(layout.sections).toEqual([
      { heading: 'Pinned', start: 0, count: 3, top: HEADING_ROW_PX },
      { heading: 'Others', start: 3, count: 2, top: HEADING_ROW_PX + 2 * ROW_PX + HEADING_ROW_PX },
    ]);
    expect(layout.placeOf(2)).toEqual({ column: 0, top: HEADING_ROW_PX + ROW_PX });
    expect(layout.placeOf(4)).toEqual({ column: 1, top: layout.sections[1]!.top });
    expect(layout.height).toBe(layout.sections[1]!.top + ROW_PX - GAP_PX);
    expect(layout.sectionOf(3)?.heading).toBe('Others');
    expect(layout.sectionOf(5)).toBeUndefined();
  });

  it('finds the cards of the rows in a band of the board', () => {
    const layout = new BoardLayout(widthFor(2), 10, undefined);
    expect(layout.indexesBetween(0, ROW_PX - 1)).toEqual({ first: 0, last: 1 });
    expect(layout.indexesBetween(ROW_PX + 1, 2 * ROW_PX + 1)).toEqual({ first: 2, last: 5 });
    expect(layout.indexesBetween(100 * ROW_PX, 101 * ROW_PX)).toEqual({ first: 0, last: -1 });
  });

  it('drops before or after a card by which half the point is in, only within the dragged card’s section', () => {
    const layout = new BoardLayout(widthFor(2), 4, 2);
    const others = layout.sections[1]!;
    const inRow = others.top + 10;
    // Dragging Others' second card (index 3) to the left half of its first: before it.
    expect(layout.gapAt(3, 10, inRow)).toBe(2);
    // Where it already is: no gap.
    expect(layout.gapAt(3, layout.xOf(1) + 10, inRow)).toBeUndefined();
    // Into the Pinned section: refused.
    expect(layout.gapAt(3, 10, HEADING_ROW_PX + 10)).toBeUndefined();
    // The cue before a row's first card sits half a gap to its left; at a section's end, after its last card.
    expect(layout.dropCueAt(2)).toEqual({ x: -GAP_PX / 2 - 2, top: others.top });
    expect(layout.dropCueAt(4)).toEqual({ x: layout.xOf(1) + layout.cardWidth + GAP_PX / 2 - 2, top: others.top });
  });
});
