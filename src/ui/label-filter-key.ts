/** Where the session keeps the label the board is filtered by, and the filter's query type (label-filter.ts). */
export const FILTER_KEY = 'roaming-notes.label-filter';
export type { LabelFilterQuery } from './label-filter.js';
