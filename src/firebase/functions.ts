/** Cloud Functions callables, created lazily and once, connected to the emulator when configured. */
import type { Functions } from 'firebase/functions';
import { firebaseApp } from './app.js';
import { EMULATOR_PORTS, firebaseSettings } from './config.js';

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
