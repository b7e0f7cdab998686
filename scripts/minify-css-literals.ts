/**
 * A build step (Vite plugin) that minifies the CSS inside Lit's css`...` templates: Vite minifies
 * the code around them but leaves template text as written, comments and indentation included,
 * and the shell's styles ship in the first paint's JavaScript. Only the literal's text changes
 * (comments dropped, whitespace collapsed); a template with `${...}` inside is left as it is.
 */
import MagicString from 'magic-string';
import type { Plugin } from 'vite';

/** CSS text with its comments removed and its whitespace reduced to what the syntax needs. */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

const CSS_TEMPLATE = /\bcss`([^`]*)`/g;

/** Minifies every css`...` template of the app's TypeScript sources (src/, not node_modules). */
export function minifyCssLiterals(): Plugin {
  return {
    name: 'minify-css-literals',
    enforce: 'pre',
    apply: 'build',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || id.includes('/node_modules/') || !code.includes('css`')) return undefined;
      const out = new MagicString(code);
      for (const match of code.matchAll(CSS_TEMPLATE)) {
        const text = match[1]!;
        if (text.includes('${') || text.includes('\\')) continue;
        const start = match.index + 'css`'.length;
        out.overwrite(start, start + text.length, minifyCss(text));
      }
      return out.hasChanged() ? { code: out.toString(), map: out.generateMap({ hires: 'boundary', source: id }) } : undefined;
    },
  };
}
