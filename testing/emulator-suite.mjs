/**
 * The local Firebase emulator suite as the tooling sees it: the project it runs (.firebaserc's
 * default) and where each emulator listens (firebase.json's `emulators`), read from those two
 * files, the one place each is written. The launcher (scripts/), the tests and the benchmarks all
 * take them from here. Node only, no dependencies: the launcher runs before anything is set up.
 * (The app's builds name the project in the .env files; tests/unit/emulator-suite.test.ts holds
 * them to this one.)
 */
import { readFileSync } from 'node:fs';

/** @typedef {{ host: string, port: number, websocketPort?: number }} EmulatorAddress */

/** Every emulator the launcher starts or needs free ports for (functions brings eventarc and tasks). */
export const EMULATOR_NAMES = /** @type {const} */ (['auth', 'firestore', 'functions', 'hosting', 'hub', 'logging', 'eventarc', 'tasks']);
/** @typedef {(typeof EMULATOR_NAMES)[number]} EmulatorName */

const ROOT = new URL('../', import.meta.url);

/** @param {string} name @returns {unknown} */
function readRootJson(name) {
  try {
    return JSON.parse(readFileSync(new URL(name, ROOT), 'utf8'));
  } catch (error) {
    throw new Error(`Could not read ${name} at the repository root: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** @returns {string} */
function readProjectId() {
  const rc = readRootJson('.firebaserc');
  const id = isRecord(rc) && isRecord(rc.projects) ? rc.projects.default : undefined;
  if (typeof id !== 'string' || id === '') throw new Error('.firebaserc names no default project.');
  // A demo- project is one the emulators treat as offline-only: nothing can reach a real project.
  if (!id.startsWith('demo-')) throw new Error(`.firebaserc's default project is ${id}; the emulator suite runs a demo-* project only.`);
  return id;
}

/** @returns {Record<EmulatorName, EmulatorAddress>} */
function readAddresses() {
  const config = readRootJson('firebase.json');
  const emulators = isRecord(config) && isRecord(config.emulators) ? config.emulators : {};
  /** @type {Partial<Record<EmulatorName, EmulatorAddress>>} */
  const addresses = {};
  for (const name of EMULATOR_NAMES) {
    const entry = emulators[name];
    if (!isRecord(entry) || typeof entry.port !== 'number') {
      throw new Error(`firebase.json has no emulators.${name}.port; the tooling needs fixed ports.`);
    }
    addresses[name] = {
      host: typeof entry.host === 'string' ? entry.host : '127.0.0.1',
      port: entry.port,
      ...(typeof entry.websocketPort === 'number' ? { websocketPort: entry.websocketPort } : {}),
    };
  }
  return /** @type {Record<EmulatorName, EmulatorAddress>} */ (addresses);
}

/** The project the emulators run: `demo-...` (.firebaserc). */
export const EMULATOR_PROJECT_ID = readProjectId();

/** Where each emulator listens (firebase.json). */
export const EMULATORS = readAddresses();

/** `host:port` of an emulator, as the *_EMULATOR_HOST variables spell it. */
export function emulatorHost(/** @type {EmulatorName} */ name) {
  return `${EMULATORS[name].host}:${EMULATORS[name].port}`;
}

/** `http://host:port` of an emulator. */
export function emulatorUrl(/** @type {EmulatorName} */ name) {
  return `http://${emulatorHost(name)}`;
}

/** The REST root of the emulator project's Firestore documents. */
export const FIRESTORE_DOCUMENTS_URL = `${emulatorUrl('firestore')}/v1/projects/${EMULATOR_PROJECT_ID}/databases/(default)/documents`;
