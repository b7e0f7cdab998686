/**
 * The shell's labels parts, loaded together after first paint (or on first use): the side drawer,
 * the label manager and the label changes (label-actions.ts). The shell renders them with
 * render() and opens them through here, so none of their code is in the first paint's bytes.
 */
import { html } from 'lit';
import type { NotesDatabase } from '../db/database.js';
import type { ConfirmQuestion } from './confirm-dialog.js';
import { LabelActions } from './label-actions.js';
import type { LabelsController } from './labels-controller.js';
import './labels-drawer.js';
import type { DrawerChoice, LabelsDrawer } from './labels-drawer.js';
import './labels-manager.js';
import type { LabelsManager } from './labels-manager.js';

/** What the labels parts need of the shell. */
export interface LabelsShell {
  labels: LabelsController;
  root(): HTMLElement | DocumentFragment;
  /** Resolves once the shell has rendered what it was asked to. */
  settled(): Promise<boolean>;
  database(): Promise<NotesDatabase | undefined>;
  ask(question: ConfirmQuestion): Promise<boolean>;
  say(text: string): void;
  /** What the board shows now. */
  current(): DrawerChoice;
  /** Shows a view, or the board filtered by a label. */
  choose(choice: DrawerChoice): void;
}

export class LabelsUi {
  readonly actions: LabelActions;

  constructor(private readonly shell: LabelsShell) {
    this.actions = new LabelActions(shell);
  }

  private async element<T extends HTMLElement>(selector: string): Promise<T> {
    await this.shell.settled();
    const element = this.shell.root().querySelector<T>(selector)!;
    await (element as unknown as { updateComplete: Promise<boolean> }).updateComplete;
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
    if (problem) this.shell.say(problem);
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
