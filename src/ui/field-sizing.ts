/**
 * Text fields as tall as their text, in every engine. Chromium and Firefox do it in CSS
 * (`field-sizing: content`, no layout forced from script); WebKit (Safari) does not support it,
 * so there the fields are measured: this is that one measurement, shared by the fields that grow.
 */

/** Whether the browser sizes fields to their text itself (feature-detected, never the engine's name). */
export const FIELDS_SIZE_THEMSELVES = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

/**
 * Sets each field's height to its text's (CSS min-height and max-height still apply). All writes,
 * then all reads, then all writes: one forced layout, not one per field. Does nothing where the
 * browser sizes them itself.
 */
export function fitFieldsToText(fields: readonly HTMLTextAreaElement[]): void {
  if (FIELDS_SIZE_THEMSELVES) return;
  for (const field of fields) field.style.height = 'auto';
  const heights = fields.map((field) => field.scrollHeight + field.offsetHeight - field.clientHeight);
  fields.forEach((field, i) => (field.style.height = `${heights[i]}px`));
}

/**
 * Where the browser does not size fields itself, refits them when the observed element's width
 * changes (their text wraps anew), and only then. The refit waits for the next frame: made inside
 * the observer's callback it would change the observed element's height during the browser's own
 * delivery of sizes, which the browser reports as "ResizeObserver loop completed with undelivered
 * notifications" (WebKit raises it on the page as an error).
 */
export function refitWhenWidthChanges(fit: () => void): ResizeObserver | undefined {
  if (FIELDS_SIZE_THEMSELVES) return undefined;
  const widths = new WeakMap<Element, number>();
  let frame = 0;
  return new ResizeObserver((entries) => {
    let changed = false;
    for (const { target, contentRect } of entries) {
      if (widths.get(target) === contentRect.width) continue;
      widths.set(target, contentRect.width);
      changed = true;
    }
    if (!changed || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      fit();
    });
  });
}
