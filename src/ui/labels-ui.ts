/**
 * The shell's labels parts, loaded together after first paint (or on first use): the side drawer,
 * the label manager and the label changes (label-actions.ts). The shell renders them with
 * render() and opens them through here, so none of their code is in the first paint's bytes.
 */
import { html, type LitElement } from 'lit';
import type { NotesDatabase } from '../db/database.js';
import type { AppSnackbar } from './app-snackbar.js';
import './confirm-dialog.js';
import type { ConfirmDialog } from './confirm-dialog.js';
import { LabelActions } from './label-actions.js';
import type { LabelsController } from './labels-controller.js';
import './labels-drawer.js';
import type { DrawerChoice, LabelsDrawer } from './labels-drawer.js';
import './labels-manager.js';
import type { LabelsManager } from './labels-manager.js';

/** What the labels parts need of the shell. */
export interface LabelsShell {
  labels: LabelsController;
  /** The shell's element, whose render holds the confirm-dialog, the snackbar and render(). */
  host: LitElement;
  database(): Promise<NotesDatabase | undefined>;
  /** What the board shows now. */
  current(): DrawerChoice;
  /** Shows a view, or the board filtered by a label. */
  choose(choice: DrawerChoice): void;
}

export class LabelsUi {
  readonly actions: LabelActions;

  constructor(private readonly shell: LabelsShell) {
    this.actions = new LabelActions({
      database: () => shell.database(),
      ask: async (question) => (await this.element<ConfirmDialog>('confirm-dialog')).ask(question),
      say: async (text) => {
        // The shell loads the snackbar right after first paint; this waits for it if it is not here yet.
        await import('./app-snackbar.js');
        (await this.element<AppSnackbar>('app-snackbar')).show({ text });
      },
    });
  }

  private async element<T extends LitElement>(selector: string): Promise<T> {
    await this.shell.host.updateComplete;
    const element = this.shell.host.renderRoot.querySelector<T>(selector)!;
    await element.updateComplete;
    return element;
  }

  async openDrawer(): Promise<void> {
    (await this.element<LabelsDrawer>('labels-drawer')).open();
  }

  async openManager(): Promise<void> {
    (await this.element<LabelsManager>('labels-manager')).open();
  }

  /** A note added from the quick-add field while a label is shown: false (and said why) when not saved. */
  async addNote(text: string, labelId: string): Promise<boolean> {
    const problem = await this.actions.addNote(text, labelId);
    if (problem) void this.actions.say(problem);
    return problem === null;
  }

  render() {
    const labels = this.shell.labels.all;
    return html`<labels-drawer
        .labels=${labels}
        .current=${this.shell.current()}
        @drawer-choose=${(event: CustomEvent<DrawerChoice>) => this.shell.choose(event.detail)}
        @labels-edit=${() => void this.openManager()}
      ></labels-drawer>
      <labels-manager .labels=${labels} .actions=${this.actions}></labels-manager>`;
  }
}
