/** The emulator launcher refuses to start without a Firestore emulator, and says why. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const launch = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ['scripts/emulators.mjs', 'exec', '--', 'true'], { env: { ...process.env, ...env }, encoding: 'utf8' });

describe('scripts/emulators.mjs', () => {
  it('fails with a message naming a missing emulator jar', () => {
    const result = launch({ ROAMING_FIRESTORE_JAR: '/nonexistent/cloud-firestore-emulator.jar' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('/nonexistent/cloud-firestore-emulator.jar does not exist');
  });

  it('fails with a message naming a missing Java', () => {
    const result = launch({ PATH: '/nonexistent-bin' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/No `java` on PATH/);
  });
});
