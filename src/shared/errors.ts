/**
 * Small checks on values of unknown shape (errors thrown by Firebase, parsed JSON, push data),
 * shared by the app, the worker and the function so each is written once.
 */

/** The `code` of an error (Firebase's 'permission-denied', 'unavailable', ...), or '' when it has none. */
export function errorCode(error: unknown): string {
  return error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
}

/** A plain object (not null, not an array): what JSON and Firestore data are checked as. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
