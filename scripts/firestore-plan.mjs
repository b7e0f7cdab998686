// The offline Firestore-emulator plan of the emulator launcher (scripts/emulators.mjs): decides
// how the Firestore emulator will start on this machine and returns the environment firebase-tools
// needs for it, or fails with the specific reason it cannot start at all.
//
// firebase-tools normally downloads the Firestore emulator jar at first start and refuses
// Java < 21. Where that cannot work (offline, or only an older Java), the plan runs the Cloud
// SDK's Firestore emulator jar (Debian package google-cloud-cli-firestore-emulator, which runs on
// Java 17) through firebase-tools instead: a manifest-only launcher jar pointing at it, named by
// FIRESTORE_EMULATOR_BINARY_PATH, and, when Java < 21, a `java` wrapper first on PATH (for the
// emulators only) that reports version 21 to firebase-tools' version check and otherwise runs
// the real java.
//
// Environment:
//   ROAMING_FIRESTORE_JAR   use this Firestore emulator jar instead of searching for one
//
// No dependencies beyond Node's builtins.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The plan's fixed values. */
const FIRESTORE_PLAN = Object.freeze({
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

/** Why the emulators cannot start: the launcher prints the message alone and exits with 2. */
export class LaunchError extends Error {}

/** @param {string} message */
export function log(message) {
  process.stderr.write(`[emulators] ${message}\n`);
}

/** @param {string} message @returns {never} */
export function fail(message) {
  throw new LaunchError(message);
}

/** @param {string} command @returns {string | null} */
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

/** @typedef {{ path: string, major: number }} Java */

/** The real java binary and its major version, or null when there is no java on PATH. @returns {Java | null} */
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
  const dpkg = which('dpkg') ? spawnSync('dpkg', ['-L', FIRESTORE_PLAN.cloudSdkPackage], { encoding: 'utf8' }) : null;
  if (dpkg?.status === 0) {
    const jar = dpkg.stdout.split('\n').find((line) => line.endsWith('/cloud-firestore-emulator.jar'));
    if (jar && existsSync(jar)) return jar;
  }
  return existsSync(FIRESTORE_PLAN.cloudSdkJarDefault) ? FIRESTORE_PLAN.cloudSdkJarDefault : null;
}

/** @param {string} file @param {string} content @param {number} [mode] */
function writeIfChanged(file, content, mode) {
  if (!existsSync(file) || readFileSync(file, 'utf8') !== content) writeFileSync(file, content);
  if (mode) chmodSync(file, mode);
}

/** A jar with only a manifest: its Main-Class lives in the emulator jar on its Class-Path. */
/** @param {string} emulatorJar @param {Java} java */
function buildLauncherJar(emulatorJar, java) {
  const jarTool = [join(dirname(java.path), 'jar'), which('jar')].find((p) => p && existsSync(p));
  if (!jarTool) {
    fail(
      `The JDK's \`jar\` tool was not found (next to ${java.path} or on PATH); it builds the Firestore ` +
        `emulator launcher. Install a full JDK (Debian: openjdk-17-jdk-headless).`,
    );
  }
  const dir = join(ROOT, FIRESTORE_PLAN.workDir, 'firestore');
  mkdirSync(dir, { recursive: true });
  const manifest =
    `Manifest-Version: 1.0\n` +
    `Main-Class: ${FIRESTORE_PLAN.firestoreMainClass}\n` +
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
/** @param {Java} java */
function writeJavaWrapper(java) {
  const dir = join(ROOT, FIRESTORE_PLAN.workDir, 'bin');
  mkdirSync(dir, { recursive: true });
  const quoted = `'${java.path.replaceAll("'", "'\\''")}'`;
  const script =
    `#!/bin/sh\n` +
    `# Generated by scripts/firestore-plan.mjs: firebase-tools refuses Java < ${FIRESTORE_PLAN.firebaseToolsMinJava}, ` +
    `but the Cloud SDK Firestore emulator runs on Java ${java.major}.\n` +
    `for arg in "$@"; do\n` +
    `  if [ "$arg" = "-version" ]; then\n` +
    `    echo 'openjdk version "${FIRESTORE_PLAN.reportedJavaVersion}" (wrapper for Java ${java.major})' >&2\n` +
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
 * @returns {{ FIRESTORE_EMULATOR_BINARY_PATH?: string, PATH?: string }}
 */
export function planFirestore() {
  const override = process.env.ROAMING_FIRESTORE_JAR;
  const java = probeJava();
  if (!java) {
    fail('No `java` on PATH: the Firestore emulator is a Java program. Install a JRE 17+ (Debian: openjdk-17-jdk-headless).');
  }
  if (!override) {
    const cached = firebaseToolsCachedJar();
    if (java.major >= FIRESTORE_PLAN.firebaseToolsMinJava && cached && existsSync(cached)) {
      log(`Firestore: firebase-tools' own jar (${cached}) on Java ${java.major}`);
      return {};
    }
  }
  const emulatorJar = override ?? findCloudSdkJar();
  if (override && !existsSync(override)) {
    fail(`ROAMING_FIRESTORE_JAR=${override} does not exist; point it at a cloud-firestore-emulator.jar or unset it.`);
  }
  if (!emulatorJar) {
    if (java.major >= FIRESTORE_PLAN.firebaseToolsMinJava) {
      log(`Firestore: no local emulator jar; firebase-tools will download its own (needs internet)`);
      return {};
    }
    fail(
      `No Firestore emulator can be started: Java is ${java.major} (firebase-tools needs ` +
        `${FIRESTORE_PLAN.firebaseToolsMinJava}+ for its own jar), and the Cloud SDK emulator jar was not found ` +
        `(package ${FIRESTORE_PLAN.cloudSdkPackage}, looked in \`dpkg -L\` and ${FIRESTORE_PLAN.cloudSdkJarDefault}). ` +
        `Install that package (apt-get install ${FIRESTORE_PLAN.cloudSdkPackage}) or set ROAMING_FIRESTORE_JAR.`,
    );
  }
  if (java.major < FIRESTORE_PLAN.cloudSdkMinJava) {
    fail(`Java ${java.major} is too old for the Firestore emulator; it needs ${FIRESTORE_PLAN.cloudSdkMinJava}+.`);
  }
  /** @type {{ FIRESTORE_EMULATOR_BINARY_PATH: string, PATH?: string }} */
  const env = { FIRESTORE_EMULATOR_BINARY_PATH: buildLauncherJar(emulatorJar, java) };
  if (java.major < FIRESTORE_PLAN.firebaseToolsMinJava) {
    env.PATH = `${writeJavaWrapper(java)}${delimiter}${process.env.PATH ?? ''}`;
  }
  log(`Firestore: ${emulatorJar} on Java ${java.major}${env.PATH ? ' (version-check wrapper)' : ''}`);
  return env;
}
