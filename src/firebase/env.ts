/**
 * The build's Firebase variables (Vite's VITE_*), as text. Whether a project is set is known here
 * without parsing the rest (config.ts): the first paint needs only that, to know whether sync can
 * ever run, and carries nothing else of the configuration.
 */

export type Env = Record<string, string | boolean | undefined>;

/** The variable's value, trimmed; undefined when it is missing or blank. */
export function envText(env: Env, key: string): string | undefined {
  const value = env[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Without a project id and API key the app is local-only ("sync is not set up"); the same test
 * readFirebaseSettings makes before it reads the rest.
 */
export function hasFirebaseProject(env: Env): boolean {
  return envText(env, 'VITE_FIREBASE_PROJECT_ID') !== undefined && envText(env, 'VITE_FIREBASE_API_KEY') !== undefined;
}
