/**
 * Cloud Functions: the callables, created lazily and once, connected to the emulator when
 * configured; and the URL of the notes download (an HTTP function, read with fetch).
 */
import type { Functions } from 'firebase/functions';
import { firebaseApp } from './app.js';
import { EMULATOR_PORTS, firebaseSettings, type FirebaseSettings } from './config.js';
import { NOTE_DOWNLOAD } from '../shared/note-download.js';

type FunctionsSdk = typeof import('firebase/functions');

let functionsPromise: Promise<{ functions: Functions; sdk: FunctionsSdk }> | undefined;

export function firebaseFunctions(): Promise<{ functions: Functions; sdk: FunctionsSdk }> {
  functionsPromise ??= (async () => {
    const [app, sdk] = await Promise.all([firebaseApp(), import('firebase/functions')]);
    const functions = sdk.getFunctions(app);
    const host = firebaseSettings?.emulatorHost;
    if (host) sdk.connectFunctionsEmulator(functions, host, EMULATOR_PORTS.functions);
    return { functions, sdk };
  })();
  return functionsPromise;
}

/**
 * Where the streamed download of a person's notes is (src/shared/note-download.ts): the functions
 * emulator's on a development build, else the project's region.
 */
export function noteDownloadUrl(settings: FirebaseSettings): string {
  const { FUNCTION, REGION } = NOTE_DOWNLOAD;
  const projectId = settings.options.projectId!;
  const host = settings.emulatorHost;
  return host ? `http://${host}:${EMULATOR_PORTS.functions}/${projectId}/${REGION}/${FUNCTION}` : `https://${REGION}-${projectId}.cloudfunctions.net/${FUNCTION}`;
}
