/**
 * Work that must happen soon but not before the next frame is painted: a view paints first, then
 * does what the person cannot see (a history entry, a database read it already has the answer to).
 */

/** If no frame comes (a hidden page draws none), the work runs after this long anyway. */
export const NO_FRAME_WAIT_MS = 100;

/**
 * Runs `work` once, in a task after the next frame has been painted (a requestAnimationFrame
 * callback runs before that frame's paint; a message posted from it is handled after). Returns a
 * function that cancels it if it has not run yet.
 */
export function afterNextPaint(work: () => void): () => void {
  let pending = true;
  const run = () => {
    if (!pending) return;
    pending = false;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    work();
  };
  const frame = requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      run();
    };
    channel.port2.postMessage(undefined);
  });
  const timer = setTimeout(run, NO_FRAME_WAIT_MS);
  return () => {
    pending = false;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
}

/** How long idle work waits at most for an idle moment, where there is requestIdleCallback. */
const IDLE_WAIT_MS = 2000;

/**
 * Runs `work` once the page is idle (or after IDLE_WAIT_MS at the latest). Safari has no
 * requestIdleCallback (WebKit turned it off again: https://bugs.webkit.org/show_bug.cgi?id=285049):
 * there the work runs in a task after the next paint. A bare setTimeout(0) could run before the
 * first paint, and work that queues more (one part after another) would run back to back;
 * waiting for a paint each time leaves the browser a frame between steps.
 */
export function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => work(), { timeout: IDLE_WAIT_MS });
  else afterNextPaint(work);
}
