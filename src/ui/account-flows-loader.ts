/**
 * The account flows (src/ui/account-flows.ts: move guest notes, sign out, delete the account, the
 * words after an erase) load on the first account change or request, off the first paint's bytes.
 * This is the shell's handle on them until then.
 */
import type { ReactiveControllerHost } from 'lit';
import type { AccountLifecycle } from '../account/lifecycle.js';
import type { AccountFlows, AccountFlowsShell } from './account-flows.js';
import type { SnackbarMessage } from './app-snackbar.js';

export class AccountFlowsLoader {
  private flows: AccountFlows | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly lifecycle: AccountLifecycle,
    private readonly shell: () => AccountFlowsShell,
    private readonly say: (message: SnackbarMessage) => void,
  ) {}

  /** A question of theirs is open or a move is running: the board is not "empty" yet. */
  get busy(): boolean {
    return this.flows?.busy ?? false;
  }

  /**
   * Runs an account flow. If its code cannot be loaded (offline before it was ever stored), what
   * the person asked for (`asked`, e.g. "Signing out") is said to need a connection; nothing changes.
   */
  async run(flow: (flows: AccountFlows) => unknown, asked?: string): Promise<void> {
    let flows: AccountFlows;
    try {
      const { AccountFlows } = await import('./account-flows.js');
      flows = this.flows ??= new AccountFlows(this.host, this.lifecycle, this.shell());
    } catch (error) {
      console.warn('The account flows could not be loaded', error);
      if (asked) this.say({ text: `${asked} needs a part of the app that has not been downloaded yet. Connect to the internet and try again.` });
      return;
    }
    await flow(flows);
  }
}
