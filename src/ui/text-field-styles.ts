/**
 * A text field that grows with its text, in the note's ink on the note's color: the opened note's
 * title and body (note-editor-styles.ts) and each checklist item (note-checklist.ts). Loaded with
 * the opened note, not before first paint.
 */
import { css } from 'lit';

export const growingFieldStyles = css`
  textarea {
    margin: 0;
    padding: 4px 0;
    border: none;
    resize: none;
    overflow: hidden;
    font: inherit;
    line-height: 1.5;
    color: inherit;
    background: transparent;
    overflow-wrap: anywhere;
    /* As tall as its text with no script measuring it where the engine can; src/ui/field-sizing.ts measures it elsewhere (WebKit). */
    field-sizing: content;
  }
  textarea:focus-visible {
    outline: none;
  }
`;
