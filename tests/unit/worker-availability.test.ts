/**
 * The decision behind "Turn on notifications" when no service worker can be had
 * (src/push/worker-availability.ts): under the dev server it says why and how at once; elsewhere
 * a worker that never becomes ready ends in a message, not a silent wait. A unit test because a
 * browser test would need the Vite dev server and the emulators started a second way beside the
 * suite the e2e tests already share; the dev flag is the only input that differs there.
 */
import { describe, expect, it } from 'vitest';
import { HOSTING_EMULATOR_URL, WORKER_MESSAGES, readyWorker, workerUnavailableReason, workerWithin } from '../../src/push/worker-availability.js';

describe('push without a service worker', () => {
  it('says at once under the dev server why push cannot work there and how to try it', () => {
    const reason = workerUnavailableReason({ devServer: true });
    expect(reason).toContain('development server (npm start) does not run');
    expect(reason).toContain('npm run build:emulator');
    expect(reason).toContain(HOSTING_EMULATOR_URL);
  });

  it('lets a built app go on to the worker', () => {
    expect(workerUnavailableReason({ devServer: false })).toBeUndefined();
  });

  it('ends a wait for a worker that never becomes ready with a message', async () => {
    const never = new Promise<ServiceWorkerRegistration>(() => undefined);
    const started = Date.now();
    await expect(workerWithin(never, 50)).rejects.toThrow(WORKER_MESSAGES.notReady);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('hands over a worker that becomes ready in time', async () => {
    const registration = { scope: '/' } as ServiceWorkerRegistration;
    await expect(workerWithin(Promise.resolve(registration), 50)).resolves.toBe(registration);
  });

  it('waits on for a worker that is still installing, and gives up on none at all', async () => {
    let activate: (registration: ServiceWorkerRegistration) => void = () => undefined;
    const registration = { installing: {} } as ServiceWorkerRegistration;
    const installing = {
      ready: new Promise<ServiceWorkerRegistration>((resolve) => (activate = resolve)),
      getRegistration: async () => registration,
    } as unknown as ServiceWorkerContainer;
    const waited = readyWorker(installing, 20);
    setTimeout(() => activate(registration), 60);
    await expect(waited).resolves.toBe(registration);

    const none = { ready: new Promise(() => undefined), getRegistration: async () => undefined } as unknown as ServiceWorkerContainer;
    await expect(readyWorker(none, 20)).rejects.toThrow(WORKER_MESSAGES.notReady);
  });
});
