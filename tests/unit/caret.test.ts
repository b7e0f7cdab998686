/** The caret of a field whose text changed under it (src/ui/caret.ts). */
import { describe, expect, it } from 'vitest';
import { caretAfterChange } from '../../src/ui/caret.js';

describe('caretAfterChange', () => {
  it('stays where it was when the change lies after it', () => {
    expect(caretAfterChange('buy bread', 'buy bread and milk', 3)).toBe(3);
  });

  it('keeps its distance from the end when the change lies before it', () => {
    // "buy |bread" → "please buy |bread"
    expect(caretAfterChange('buy bread', 'please buy bread', 4)).toBe(11);
  });

  it('never lands inside the changed part when the change lies around it', () => {
    expect(caretAfterChange('abcdef', 'abXYZ', 5)).toBe(4);
    expect(caretAfterChange('abcdef', 'ab', 4)).toBe(2);
  });
});
