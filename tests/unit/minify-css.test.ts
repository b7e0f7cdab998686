// The build's minifier of Lit css`...` templates (scripts/minify-css-literals.ts): smaller text, same rules.
import { describe, expect, it } from 'vitest';
import { minifyCss } from '../../scripts/minify-css-literals.js';

describe('minifyCss', () => {
  it('drops comments and the whitespace around braces, semicolons, commas and child combinators', () => {
    const css = `
      /* Above the snackbar. */
      :host {
        position: fixed;
        bottom: calc(84px + env(safe-area-inset-bottom));
      }
      .bar > button,
      .bar a:focus-visible {
        font-family: system-ui, sans-serif;
      }
    `;
    expect(minifyCss(css)).toBe(
      ':host{position: fixed;bottom: calc(84px + env(safe-area-inset-bottom))}.bar>button,.bar a:focus-visible{font-family: system-ui,sans-serif}',
    );
  });

  it('keeps the spaces that carry meaning: descendant selectors, values, media queries', () => {
    expect(minifyCss('@media (max-width: 600px) and (pointer: coarse) { .a .b { margin: 0 auto; } }')).toBe(
      '@media (max-width: 600px) and (pointer: coarse){.a .b{margin: 0 auto}}',
    );
  });
});
