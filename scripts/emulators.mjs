#!/usr/bin/env node
// The project's Firebase emulator launcher: Auth, Firestore, Functions and Hosting (the last
// production build in dist/, with firebase.json's headers) on the ports in firebase.json, for tests (`exec`) and for development (`start`, optionally with Vite).
//
//   node scripts/emulators.mjs exec -- <command...>   run a command against fresh emulators, exit with its code
//   node scripts/emulators.mjs start [--with-vite]     run the emulators (and the Vite dev server) until Ctrl-C
//
// This module supervises the processes (firebase-tools, the command under `exec`, Vite): ports
// free first, signals relayed, children stopped together. Why not plain `firebase emulators:*`,
// and how the Firestore emulator starts offline on Java 17, is firestore-plan.mjs; the project id
// and ports come from testing/emulator-suite.mjs (.firebaserc and firebase.json).
//
// Environment:
//   ROAMING_FIRESTORE_JAR   use this Firestore emulator jar instead of searching for one
//
// No dependencies beyond Node's builtins: it must run before anything else is set up.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { EMULATORS, EMULATOR_NAMES, EMULATOR_PROJECT_ID } from '../testing/emulator-suite.mjs';
import { LaunchError, fail, log, planFirestore } from './firestore-plan.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

/** Every timeout and fixed value of the supervision in one place. Project and ports: testing/emulator-suite.mjs. */
const SETTINGS = Object.freeze({
  only: 'auth,firestore,functions,hosting',
  /** Longest wait for "All emulators ready" in `start` mode; a cold start takes about 30 s. */
  emulatorsReadyTimeoutMs: 180_000,
  /** Longest wait for the Vite dev server to accept connections after it is spawned. */
  viteReadyTimeoutMs: 60_000,
  /** Vite dev server port: server.port (strictPort) in vite.config.ts. */
  vitePort: 5173,
  /** After Ctrl-C, how long children get to shut down before they are killed. */
  shutdownGraceMs: 15_000,
  pollIntervalMs: 250,
  /** How often the command under `exec` checks that the launcher is still there. */
  watchdogIntervalMs: 500,
});

// ---- Ports ---------------------------------------------------------------------------------

/** @typedef {{ name: string, host: string, port: number }} Port */
/** @typedef {import('node:child_process').ChildProcess} Child */

/** Every port the suite will listen on (the functions emulator brings up eventarc and tasks too). */
function emulatorPorts() {
  /** @type {Port[]} */
  const ports = [];
  for (const name of EMULATOR_NAMES) {
    const { host, port, websocketPort } = EMULATORS[name];
    ports.push({ name, host, port });
    if (websocketPort) ports.push({ name: `${name} websocket`, host, port: websocketPort });
  }
  return ports;
}

/** @param {string} host @param {number} port @returns {Promise<boolean>} */
function portIsFree(host, port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => done(true)));
  });
}

/** @param {string} host @param {number} port @returns {Promise<boolean>} */
function portAnswers(host, port) {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** @param {Port[]} ports */
async function checkPortsFree(ports) {
  for (const { name, host, port } of ports) {
    if (!(await portIsFree(host, port))) {
      fail(
        `Port ${port} on ${host} (${name}) is already in use. Another emulator suite or dev server ` +
          `is probably running: stop it (e.g. \`ss -ltnp 'sport = :${port}'\` shows which process) ` +
          `or change the port in firebase.json / vite.config.ts.`,
      );
    }
  }
}

// ---- Processes -----------------------------------------------------------------------------

function checkInstalled() {
  const firebase = join(ROOT, 'node_modules', '.bin', 'firebase');
  if (!existsSync(firebase)) fail('node_modules/.bin/firebase not found: run `npm ci` first.');
  if (!existsSync(join(ROOT, 'functions', 'node_modules'))) {
    fail('functions/node_modules not found: run `npm ci` at the root (its postinstall sets up functions/).');
  }
  return firebase;
}

function buildFunctions() {
  log('building functions/ (npm --prefix functions run build)');
  const result = spawnSync('npm', ['--prefix', join(ROOT, 'functions'), 'run', 'build'], { stdio: 'inherit', cwd: ROOT });
  if (result.status !== 0) fail(`Building functions/ failed (exit ${result.status ?? result.signal}); see above.`);
}

/** The environment for firebase-tools: the Firestore plan, and no probing for Google credentials. */
/** @param {Record<string, string>} firestoreEnv @returns {NodeJS.ProcessEnv} */
function emulatorEnv(firestoreEnv) {
  return {
    ...process.env,
    // Nothing here runs on Google Cloud; without this, google-auth-library (in the functions
    // emulator's credential check) probes the GCE metadata server on every start.
    METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? 'none',
    ...firestoreEnv,
  };
}

/** @param {string} arg */
function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Stops children once on Ctrl-C / SIGTERM, and kills them if they outstay the grace period. */
/** @param {() => Child[]} children */
function relaySignals(children) {
  let stopping = false;
  const stop = (/** @type {string} */ signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping (up to ${SETTINGS.shutdownGraceMs / 1000} s)`);
    for (const child of children()) {
      // The terminal sends Ctrl-C to the whole group too; firebase-tools ignores a second
      // signal within 100 ms, so this does not turn its clean shutdown into a forced one.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    }
    setTimeout(() => {
      for (const child of children()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }, SETTINGS.shutdownGraceMs).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return () => stopping;
}

/** @param {Child} child @returns {Promise<number>} */
function exited(child) {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode ?? 1);
    else child.once('exit', (code, signal) => done(code ?? (signal ? 128 + 2 : 1)));
  });
}

/** @param {string[]} command */
async function runExec(command) {
  if (command.length === 0) fail('Usage: node scripts/emulators.mjs exec -- <command...>');
  const firebase = checkInstalled();
  // What this machine lacks is the more useful message: it holds whatever else is running.
  const firestoreEnv = planFirestore();
  await checkPortsFree(emulatorPorts());
  buildFunctions();
  // The command runs through this script's `child` mode, which puts back the PATH the caller had:
  // the java wrapper is for the emulators only.
  const script = [process.execPath, SELF, 'child', '--', ...command].map(shellQuote).join(' ');
  const env = {
    ...emulatorEnv(firestoreEnv),
    ROAMING_EMULATORS_CALLER_PATH: process.env.PATH ?? '',
    ROAMING_EMULATORS_STARTED_AT: String(Date.now()),
    ROAMING_EMULATORS_LAUNCHER_PID: String(process.pid),
  };
  const args = ['emulators:exec', '--only', SETTINGS.only, '--project', EMULATOR_PROJECT_ID, script];
  const child = spawn(firebase, args, { cwd: ROOT, env, stdio: 'inherit' });
  const isStopping = relaySignals(() => [child]);
  const code = await exited(child);
  // An interrupted run is not a passing run, whatever firebase-tools reports after its shutdown.
  return isStopping() && code === 0 ? 130 : code;
}

/** Inside `emulators:exec`: restore the caller's PATH, then run the command. */
/** @param {string[]} command */
async function runChild(command) {
  const startedAt = Number(process.env.ROAMING_EMULATORS_STARTED_AT);
  if (startedAt) log(`emulators ready after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, PATH: process.env.ROAMING_EMULATORS_CALLER_PATH ?? process.env.PATH };
  delete env.ROAMING_EMULATORS_CALLER_PATH;
  delete env.ROAMING_EMULATORS_STARTED_AT;
  delete env.FIRESTORE_EMULATOR_BINARY_PATH;
  delete env.ROAMING_EMULATORS_LAUNCHER_PID;
  // One argument is a shell command line ("npm test"); several are argv, run without a shell.
  const child =
    command.length === 1
      ? spawn(command[0], { env, stdio: 'inherit', shell: true })
      : spawn(command[0], command.slice(1), { env, stdio: 'inherit' });
  child.once('error', (error) => {
    log(`could not run ${command[0]}: ${error.message}`);
    process.exit(127);
  });
  relaySignals(() => [child]);
  // firebase-tools stops the emulators on a signal but leaves the command running: when the
  // launcher is gone (stopped, or killed), stop the command too.
  const launcherPid = Number(process.env.ROAMING_EMULATORS_LAUNCHER_PID);
  if (launcherPid) {
    const watchdog = setInterval(() => {
      try {
        process.kill(launcherPid, 0);
      } catch {
        clearInterval(watchdog);
        log(`the launcher has stopped: stopping ${command[0]}`);
        child.kill('SIGTERM');
      }
    }, SETTINGS.watchdogIntervalMs);
    watchdog.unref();
  }
  return exited(child);
}

/**
 * @param {() => unknown} check
 * @param {number} timeoutMs
 * @param {string} what
 */
async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await check();
    if (result) return result;
    await sleep(SETTINGS.pollIntervalMs);
  }
  fail(`${what} did not happen within ${timeoutMs / 1000} s.`);
}

/** @param {boolean} withVite */
async function runStart(withVite) {
  const firebase = checkInstalled();
  const firestoreEnv = planFirestore();
  await checkPortsFree(emulatorPorts());
  if (withVite) await checkPortsFree([{ name: 'vite', host: '127.0.0.1', port: SETTINGS.vitePort }]);
  buildFunctions();
  const startedAt = Date.now();
  const emulators = spawn(firebase, ['emulators:start', '--only', SETTINGS.only, '--project', EMULATOR_PROJECT_ID], {
    cwd: ROOT,
    env: emulatorEnv(firestoreEnv),
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  /** @type {Child | null} */
  let vite = null;
  const isStopping = relaySignals(() => [emulators, vite].filter((child) => child !== null));

  let ready = false;
  emulators.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (!ready && chunk.toString('utf8').includes('All emulators ready')) ready = true;
  });
  const emulatorsExit = exited(emulators);
  let emulatorsGone = false;
  emulatorsExit.then(() => (emulatorsGone = true));
  await waitFor(() => ready || emulatorsGone || isStopping(), SETTINGS.emulatorsReadyTimeoutMs, 'Emulator start-up').catch(
    (error) => {
      emulators.kill('SIGINT');
      throw error;
    },
  );
  if (emulatorsGone || isStopping()) return emulatorsExit;
  log(`emulators ready after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

  if (withVite) {
    const env = { ...process.env, VITE_FIREBASE_USE_EMULATORS: process.env.VITE_FIREBASE_USE_EMULATORS ?? 'true' };
    const viteChild = spawn(join(ROOT, 'node_modules', '.bin', 'vite'), [], { cwd: ROOT, env, stdio: 'inherit' });
    vite = viteChild;
    const viteExit = exited(viteChild);
    await waitFor(
      () => portAnswers('127.0.0.1', SETTINGS.vitePort).then((up) => up || viteChild.exitCode !== null),
      SETTINGS.viteReadyTimeoutMs,
      'Vite dev server start-up',
    );
    if (viteChild.exitCode === null) log(`app on the emulators: http://localhost:${SETTINGS.vitePort}/  (Ctrl-C stops both)`);
    // Whichever stops first takes the other down with it.
    const first = await Promise.race([emulatorsExit, viteExit]);
    for (const child of [emulators, viteChild]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await Promise.all([emulatorsExit, viteExit]);
    return first;
  }
  return emulatorsExit;
}

// ---- Main ----------------------------------------------------------------------------------

/** @param {string[]} argv @returns {Promise<number>} */
async function main(argv) {
  const [mode, ...rest] = argv;
  const dashes = rest.indexOf('--');
  const flags = dashes === -1 ? rest : rest.slice(0, dashes);
  const command = dashes === -1 ? [] : rest.slice(dashes + 1);
  switch (mode) {
    case 'exec':
      return runExec(command);
    case 'child':
      return runChild(command);
    case 'start': {
      const unknown = flags.filter((flag) => flag !== '--with-vite');
      if (unknown.length > 0) fail(`Unknown option ${unknown.join(' ')}; \`start\` takes only --with-vite.`);
      return runStart(flags.includes('--with-vite'));
    }
    default:
      fail(
        'Usage:\n' +
          '  node scripts/emulators.mjs exec -- <command...>\n' +
          '  node scripts/emulators.mjs start [--with-vite]',
      );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof LaunchError) {
      log(`error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  },
);
