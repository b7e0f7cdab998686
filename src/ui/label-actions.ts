/**
 * Every label change a person makes (the manager, the opened note's picker, a note added while a
 * label is shown), over the store (src/db/labels.ts). A change that cannot be saved answers with
 * its reason in words, for the element to show beside what was typed (nothing typed is lost);
 * deleting a label first asks, saying how many notes carry it. Loaded after first paint.
 */
import type { LabelRecord, NotesDatabase } from '../db/database.js';
import { createLabel, deleteLabel, editLabel, LabelError, setNoteLabel } from '../db/labels.js';
import { createNote } from '../db/notes.js';
import { describeStorageError } from '../db/storage-errors.js';
import type { LabelColor } from '../shared/label.js';
import { TooManyLabelsError } from '../shared/note.js';
import type { ConfirmQuestion } from './confirm-dialog.js';

/** What label changes need of the shell. */
export interface LabelShell {
  database(): Promise<NotesDatabase | undefined>;
  ask(question: ConfirmQuestion): Promise<boolean>;
  say(text: string): void;
}

/** A change's outcome: null when saved, else why not, in words. */
export type Problem = string | null;

export class LabelActions {
  constructor(private readonly shell: LabelShell) {}

  /** Says something in the app's snackbar. */
  say(text: string): void {
    this.shell.say(text);
  }

  private async attempt(change: (db: NotesDatabase) => Promise<unknown>): Promise<Problem> {
    const db = await this.shell.database();
    if (!db) return 'Notes cannot be saved on this device right now.';
    try {
      await change(db);
      return null;
    } catch (error) {
      if (error instanceof LabelError || error instanceof TooManyLabelsError) return error.message;
      console.warn('A label change could not be saved', error);
      return describeStorageError(error);
    }
  }

  /** A new label, or why it cannot be made. */
  async create(name: string, color: LabelColor = 'none'): Promise<LabelRecord | string> {
    let label: LabelRecord | undefined;
    const problem = await this.attempt(async (db) => (label = await createLabel(db, name, color)));
    return problem ?? label!;
  }

  edit(id: string, patch: { name?: string; color?: LabelColor }): Promise<Problem> {
    return this.attempt((db) => editLabel(db, id, patch));
  }

  /** Asks first (how many notes carry it, and that they stay), then deletes it everywhere. */
  async remove(label: LabelRecord): Promise<Problem> {
    const db = await this.shell.database();
    const count = db ? await db.notes.where('labels').equals(label.id).count() : 0;
    const notes = count === 0 ? 'No note carries it.' : `${count === 1 ? 'One note carries' : `${count} notes carry`} it; ${count === 1 ? 'the note stays' : 'the notes stay'}, without this label.`;
    const agreed = await this.shell.ask({ text: `Delete the label “${label.name}”? ${notes}`, confirm: 'Delete label', cancel: 'Cancel', destructive: true });
    if (!agreed) return null;
    const problem = await this.attempt((db) => deleteLabel(db, label.id));
    if (!problem) this.shell.say(`Label “${label.name}” deleted`);
    return problem;
  }

  setOnNote(noteId: string, labelId: string, on: boolean): Promise<Problem> {
    return this.attempt((db) => setNoteLabel(db, noteId, labelId, on));
  }

  /** A note added from the quick-add field while a label is shown: it carries that label. */
  async addNote(text: string, labelId: string): Promise<Problem> {
    let noteId = '';
    const problem = await this.attempt(async (db) => (noteId = (await createNote(db, { text })).id));
    return problem ?? this.setOnNote(noteId, labelId, true);
  }
}
