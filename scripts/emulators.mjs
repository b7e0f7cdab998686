#!/usr/bin/env node
// The project's Firebase emulator launcher: Auth, Firestore, Functions and Hosting (the last
// production build in dist/, with firebase.json's headers) on the ports in firebase.json, for tests (`exec`) and for development (`start`, optionally with Vite).
//
//   node scripts/emulators.mjs exec -- <command...>   run a command against fresh emulators, exit with its code
//   node scripts/emulators.mjs start [--with-vite]     run the emulators (and the Vite dev server) until Ctrl-C
//
// Why not plain `firebase emulators:*`: firebase-tools downloads the Firestore emulator jar at
// first start and refuses Java < 21. Where that cannot work (offline, or only an older Java), this
// script runs the Cloud SDK's Firestore emulator jar (Debian package
// google-cloud-cli-firestore-emulator, which runs on Java 17) through firebase-tools instead:
// a manifest-only launcher jar pointing at it, named by FIRESTORE_EMULATOR_BINARY_PATH, and, when
// Java < 21, a `java` wrapper first on PATH (for the emulators only) that reports version 21 to
// firebase-tools' version check and otherwise runs the real java.
//
// Environment:
//   ROAMING_FIRESTORE_JAR   use this Firestore emulator jar instead of searching for one
//
// No dependencies beyond Node's builtins: it must run before anything else is set up.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

/** Every timeout and fixed value in one place. Emulator ports live in firebase.json. */
const SETTINGS = Object.freeze({
  projectId: 'demo-roaming-notes',
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
  /** firebase-tools 15 refuses older Java (MIN_SUPPORTED_JAVA_MAJOR_VERSION). */
  firebaseToolsMinJava: 21,
  /** The Cloud SDK Firestore emulator runs on Java 11 and later. */
  cloudSdkMinJava: 11,
  /** What the java wrapper reports; firebase-tools parses `version "NN`. */
  reportedJavaVersion: '21.0.0',
  firestoreMainClass: 'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
  cloudSdkPackage: 'google-cloud-cli-firestore-emulator',
  /** Searched-for default: where that Debian package puts the jar. */
  cloudSdkJarDefault: '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar',
  /** Project-local, git-ignored folder for the generated launcher jar and java wrapper. */
  workDir: '.emulators',
});

class LaunchError extends Error {}

function log(message) {
  process.stderr.write(`[emulators] ${message}\n`);
}

function fail(message) {
  throw new LaunchError(message);
}

// ---- Lookups -------------------------------------------------------------------------------

function which(command, pathValue = process.env.PATH ?? '') {
  for (const dir of pathValue.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** The real java binary and its major version, or null when there is no java on PATH. */
function probeJava() {
  const onPath = which('java');
  if (!onPath) return null;
  const result = spawnSync(onPath, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    fail(`\`java -version\` failed (${result.error?.message ?? `exit ${result.status}`}): is ${onPath} a working Java?`);
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stdout}\n${result.stderr}`);
  if (!match) fail(`Could not read the Java version from \`java -version\`:\n${result.stderr}`);
  // Java 8 and older report "1.8.0_x".
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  return { path: realpathSync(onPath), major };
}

function emulatorPorts() {
  const config = JSON.parse(readFileSync(join(ROOT, 'firebase.json'), 'utf8')).emulators ?? {};
  const ports = [];
  // The functions emulator brings up eventarc and tasks too; all of them must be free.
  for (const name of [...SETTINGS.only.split(','), 'hub', 'logging', 'eventarc', 'tasks']) {
    const entry = config[name];
    if (!entry?.port) fail(`firebase.json has no emulators.${name}.port; the launcher needs fixed ports.`);
    ports.push({ name, host: entry.host ?? '127.0.0.1', port: entry.port });
    if (name === 'firestore' && entry.websocketPort) {
      ports.push({ name: 'firestore websocket', host: entry.host ?? '127.0.0.1', port: entry.websocketPort });
    }
  }
  return ports;
}

function portIsFree(host, port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => done(true)));
  });
}

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

// ---- The Firestore emulator ----------------------------------------------------------------

/** The jar firebase-tools would download into its cache, named by its own version table. */
function firebaseToolsCachedJar() {
  const info = join(ROOT, 'node_modules', 'firebase-tools', 'lib', 'emulator', 'downloadableEmulatorInfo.json');
  const cacheDir = process.env.FIREBASE_EMULATORS_PATH ?? join(homedir(), '.cache', 'firebase', 'emulators');
  try {
    const { firestore } = JSON.parse(readFileSync(info, 'utf8'));
    return join(cacheDir, firestore.downloadPathRelativeToCacheDir);
  } catch {
    return null;
  }
}

function findCloudSdkJar() {
  const dpkg = which('dpkg') ? spawnSync('dpkg', ['-L', SETTINGS.cloudSdkPackage], { encoding: 'utf8' }) : null;
  if (dpkg?.status === 0) {
    const jar = dpkg.stdout.split('\n').find((line) => line.endsWith('/cloud-firestore-emulator.jar'));
    if (jar && existsSync(jar)) return jar;
  }
  return existsSync(SETTINGS.cloudSdkJarDefault) ? SETTINGS.cloudSdkJarDefault : null;
}

function writeIfChanged(file, content, mode) {
  if (!existsSync(file) || readFileSync(file, 'utf8') !== content) writeFileSync(file, content);
  if (mode) chmodSync(file, mode);
}

/** A jar with only a manifest: its Main-Class lives in the emulator jar on its Class-Path. */
function buildLauncherJar(emulatorJar, java) {
  const jarTool = [join(dirname(java.path), 'jar'), which('jar')].find((p) => p && existsSync(p));
  if (!jarTool) {
    fail(
      `The JDK's \`jar\` tool was not found (next to ${java.path} or on PATH); it builds the Firestore ` +
        `emulator launcher. Install a full JDK (Debian: openjdk-17-jdk-headless).`,
    );
  }
  const dir = join(ROOT, SETTINGS.workDir, 'firestore');
  mkdirSync(dir, { recursive: true });
  const manifest =
    `Manifest-Version: 1.0\n` +
    `Main-Class: ${SETTINGS.firestoreMainClass}\n` +
    `Class-Path: ${pathToFileURL(emulatorJar).href}\n`;
  const manifestFile = join(dir, 'manifest.txt');
  const launcher = join(dir, 'launcher.jar');
  const upToDate = existsSync(launcher) && existsSync(manifestFile) && readFileSync(manifestFile, 'utf8') === manifest;
  if (!upToDate) {
    writeFileSync(manifestFile, manifest);
    const result = spawnSync(jarTool, ['cfm', launcher, manifestFile], { encoding: 'utf8' });
    if (result.status !== 0) fail(`\`jar cfm\` failed building ${launcher}:\n${result.stderr || result.error?.message}`);
  }
  return launcher;
}

/** A `java` that tells firebase-tools it is Java 21 and otherwise is the real java. */
function writeJavaWrapper(java) {
  const dir = join(ROOT, SETTINGS.workDir, 'bin');
  mkdirSync(dir, { recursive: true });
  const quoted = `'${java.path.replaceAll("'", "'\\''")}'`;
  const script =
    `#!/bin/sh\n` +
    `# Generated by scripts/emulators.mjs: firebase-tools refuses Java < ${SETTINGS.firebaseToolsMinJava}, ` +
    `but the Cloud SDK Firestore emulator runs on Java ${java.major}.\n` +
    `for arg in "$@"; do\n` +
    `  if [ "$arg" = "-version" ]; then\n` +
    `    echo 'openjdk version "${SETTINGS.reportedJavaVersion}" (wrapper for Java ${java.major})' >&2\n` +
    `    exit 0\n` +
    `  fi\n` +
    `done\n` +
    `exec ${quoted} "$@"\n`;
  writeIfChanged(join(dir, 'java'), script, 0o755);
  return dir;
}

/**
 * Decides how the Firestore emulator will start, and returns the environment the firebase
 * process needs for it. Fails with the specific reason when it cannot start at all.
 */
function planFirestore() {
  const override = process.env.ROAMING_FIRESTORE_JAR;
  const java = probeJava();
  if (!java) {
    fail('No `java` on PATH: the Firestore emulator is a Java program. Install a JRE 17+ (Debian: openjdk-17-jdk-headless).');
  }
  if (!override) {
    const cached = firebaseToolsCachedJar();
    if (java.major >= SETTINGS.firebaseToolsMinJava && cached && existsSync(cached)) {
      log(`Firestore: firebase-tools' own jar (${cached}) on Java ${java.major}`);
      return {};
    }
  }
  const emulatorJar = override ?? findCloudSdkJar();
  if (override && !existsSync(override)) {
    fail(`ROAMING_FIRESTORE_JAR=${override} does not exist; point it at a cloud-firestore-emulator.jar or unset it.`);
  }
  if (!emulatorJar) {
    if (java.major >= SETTINGS.firebaseToolsMinJava) {
      log(`Firestore: no local emulator jar; firebase-tools will download its own (needs internet)`);
      return {};
    }
    fail(
      `No Firestore emulator can be started: Java is ${java.major} (firebase-tools needs ` +
        `${SETTINGS.firebaseToolsMinJava}+ for its own jar), and the Cloud SDK emulator jar was not found ` +
        `(package ${SETTINGS.cloudSdkPackage}, looked in \`dpkg -L\` and ${SETTINGS.cloudSdkJarDefault}). ` +
        `Install that package (apt-get install ${SETTINGS.cloudSdkPackage}) or set ROAMING_FIRESTORE_JAR.`,
    );
  }
  if (java.major < SETTINGS.cloudSdkMinJava) {
    fail(`Java ${java.major} is too old for the Firestore emulator; it needs ${SETTINGS.cloudSdkMinJava}+.`);
  }
  const env = { FIRESTORE_EMULATOR_BINARY_PATH: buildLauncherJar(emulatorJar, java) };
  if (java.major < SETTINGS.firebaseToolsMinJava) {
    env.PATH = `${writeJavaWrapper(java)}${delimiter}${process.env.PATH ?? ''}`;
  }
  log(`Firestore: ${emulatorJar} on Java ${java.major}${env.PATH ? ' (version-check wrapper)' : ''}`);
  return env;
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
function emulatorEnv(firestoreEnv) {
  return {
    ...process.env,
    // Nothing here runs on Google Cloud; without this, google-auth-library (in the functions
    // emulator's credential check) probes the GCE metadata server on every start.
    METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? 'none',
    ...firestoreEnv,
  };
}

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** Stops children once on Ctrl-C / SIGTERM, and kills them if they outstay the grace period. */
function relaySignals(children) {
  let stopping = false;
  const stop = (signal) => {
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

function exited(child) {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode ?? 1);
    else child.once('exit', (code, signal) => done(code ?? (signal ? 128 + 2 : 1)));
  });
}

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
  const args = ['emulators:exec', '--only', SETTINGS.only, '--project', SETTINGS.projectId, script];
  const child = spawn(firebase, args, { cwd: ROOT, env, stdio: 'inherit' });
  const isStopping = relaySignals(() => [child]);
  const code = await exited(child);
  // An interrupted run is not a passing run, whatever firebase-tools reports after its shutdown.
  return isStopping() && code === 0 ? 130 : code;
}

/** Inside `emulators:exec`: restore the caller's PATH, then run the command. */
async function runChild(command) {
  const startedAt = Number(process.env.ROAMING_EMULATORS_STARTED_AT);
  if (startedAt) log(`emulators ready after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
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

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await check();
    if (result) return result;
    await sleep(SETTINGS.pollIntervalMs);
  }
  fail(`${what} did not happen within ${timeoutMs / 1000} s.`);
}

async function runStart(withVite) {
  const firebase = checkInstalled();
  const firestoreEnv = planFirestore();
  await checkPortsFree(emulatorPorts());
  if (withVite) await checkPortsFree([{ name: 'vite', host: '127.0.0.1', port: SETTINGS.vitePort }]);
  buildFunctions();
  const startedAt = Date.now();
  const emulators = spawn(firebase, ['emulators:start', '--only', SETTINGS.only, '--project', SETTINGS.projectId], {
    cwd: ROOT,
    env: emulatorEnv(firestoreEnv),
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  let vite = null;
  const isStopping = relaySignals(() => [emulators, vite].filter(Boolean));

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
    vite = spawn(join(ROOT, 'node_modules', '.bin', 'vite'), [], { cwd: ROOT, env, stdio: 'inherit' });
    const viteExit = exited(vite);
    await waitFor(
      () => portAnswers('127.0.0.1', SETTINGS.vitePort).then((up) => up || vite.exitCode !== null),
      SETTINGS.viteReadyTimeoutMs,
      'Vite dev server start-up',
    );
    if (vite.exitCode === null) log(`app on the emulators: http://localhost:${SETTINGS.vitePort}/  (Ctrl-C stops both)`);
    // Whichever stops first takes the other down with it.
    const first = await Promise.race([emulatorsExit, viteExit]);
    for (const child of [emulators, vite]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await Promise.all([emulatorsExit, viteExit]);
    return first;
  }
  return emulatorsExit;
}

// ---- Main ----------------------------------------------------------------------------------

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
