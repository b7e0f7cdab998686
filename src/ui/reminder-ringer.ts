/**
 * Rings reminders while the app is open: watches the notes with reminders, wakes at the next one's
 * time (and whenever the page comes back into view, as timers sleep with the device), and shows
 * each occurrence that has rung once per device, also one missed while the app was closed. With
 * notification permission it shows the same notification the service worker would (Done, Snooze,
 * a click opens the note); without, a message in the app with Done. A notification whose
 * occurrence was settled since (here or on another device, the change arriving by sync) is closed.
 * How many reminders have rung and wait is counted for the app badge. Loaded after first paint.
 */
import { liveQuery, type Subscription } from 'dexie';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NotesDatabase } from '../db/database.js';
import { matchesSearch, type BoardWindow } from '../db/queries.js';
import { notesWithReminders, settleReminder, type NoteWithReminder, type Settling } from '../db/reminders.js';
import { markOccurrencesShown, shownOccurrences } from '../push/shown-reminders.js';
import { isRinging, nextRingAfter, occurrenceAt, occurrenceOfTag, occurrenceTag } from '../shared/reminder.js';
import { noteTitle } from '../shared/note.js';
import { reminderNotification } from '../../sw/notifications.js';
import type { SnackbarMessage } from './app-snackbar.js';
import { refreshReminderChips } from './reminder-chip.js';

/** How long a ring waits for the service worker to be registered (just after the app opens). */
const REGISTRATION_WAIT_MS = 5_000;
/** Timers sleep with the device and drift: the ringer looks again at least this often. */
const LOOK_AGAIN_MS = 60_000;

export interface RingerShell {
  say(message: SnackbarMessage): void;
  /** Runs a store operation on the open notes, saying why if it fails. */
  run(operation: (db: NotesDatabase) => Promise<unknown>): Promise<unknown>;
}

export class ReminderRinger implements ReactiveController {
  /** Notes not open (done, archived) whose reminder has rung and waits: the app badge counts them beside the open ones (countRingingReminders). */
  ringing = 0;
  private notes: NoteWithReminder[] = [];
  private uid: string | undefined;
  private subscription: Subscription | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private looking: Promise<void> = Promise.resolve();
  /** The occurrences ringing at the last look: the chips are shown anew when that changes. */
  private ringingBefore = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly shell: RingerShell,
  ) {
    host.addController(this);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  hostDisconnected(): void {
    this.setDatabase(undefined, undefined);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  /** Rings the reminders of `db` (an account's, `uid`; the guest's has none) from now on. */
  setDatabase(db: NotesDatabase | undefined, uid: string | undefined): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    clearTimeout(this.timer);
    this.notes = [];
    this.uid = uid;
    if (!db) return;
    this.subscription = liveQuery(() => notesWithReminders(db)).subscribe({
      next: (notes) => {
        this.notes = notes;
        this.host.requestUpdate();
        this.lookSoon();
      },
      error: (error: unknown) => console.warn('Reminders could not be read', error),
    });
  }

  /** The Reminders view: every note with a reminder, soonest first, those matching `search` while one is typed. */
  view(search: string): BoardWindow {
    const shown = this.shownView;
    if (shown?.source === this.notes && shown.search === search) return shown.window;
    const notes = search.trim() ? this.notes.filter((note) => matchesSearch(note, search)) : this.notes;
    this.shownView = { source: this.notes, search, window: { total: notes.length, offset: 0, notes } };
    return this.shownView.window;
  }

  /** The last view given, kept while nothing changed: the board re-renders only for a new one. */
  private shownView: { source: NoteWithReminder[]; search: string; window: BoardWindow } | undefined;

  private onVisible = () => {
    if (document.visibilityState === 'visible') this.lookSoon();
  };

  /** One look at a time, in order: two would show an occurrence twice. */
  private lookSoon(): void {
    this.looking = this.looking.then(() => this.look()).catch((error: unknown) => console.warn('Reminders could not ring', error));
  }

  private async look(): Promise<void> {
    clearTimeout(this.timer);
    const now = Date.now();
    const ringing = this.notes.filter((note) => isRinging(note.reminder, now));
    const ringingNotOpen = ringing.filter((note) => note.open !== 1).length;
    if (ringingNotOpen !== this.ringing) {
      this.ringing = ringingNotOpen;
      this.host.requestUpdate();
    }
    const tagOf = (note: NoteWithReminder) => occurrenceTag(note.id, occurrenceAt(note.reminder, now));
    const tags = new Set(ringing.map(tagOf));
    const ringingNow = [...tags].join(' ');
    if (ringingNow !== this.ringingBefore) {
      this.ringingBefore = ringingNow;
      refreshReminderChips();
    }
    const shown = await shownOccurrences();
    const fresh = ringing.filter((note) => !shown.includes(tagOf(note)));
    // Marked shown once shown: one that could not be (a worker gone, say) is tried at the next look.
    const rung: string[] = [];
    for (const note of fresh) {
      try {
        await this.ring(note, now);
        rung.push(tagOf(note));
      } catch (error) {
        console.warn('A reminder could not be shown', error);
      }
    }
    await markOccurrencesShown(rung);
    await this.closeSettled(tags);
    const next = this.notes.map((note) => nextRingAfter(note.reminder, now)).filter((at) => at !== undefined);
    const wait = Math.min(LOOK_AGAIN_MS, ...next.map((at) => at - now));
    this.timer = setTimeout(() => this.lookSoon(), wait);
  }

  private async ring(note: NoteWithReminder, now: number): Promise<void> {
    const registration = await this.registration(REGISTRATION_WAIT_MS);
    if (registration && Notification.permission === 'granted') {
      const planned = reminderNotification(note, { at: occurrenceAt(note.reminder, now), repeat: note.reminder.repeat }, this.uid);
      await registration.showNotification(planned.title, planned.options);
      return;
    }
    const title = noteTitle(note.text.trim() ? note.text : (note.items?.find((item) => !item.done)?.text ?? '')) || 'A note';
    this.shell.say({ text: `Reminder: ${title}`, action: { label: 'Done', run: () => void this.settle(note.id, 'done') }, durationMs: 30_000 });
  }

  private settle(noteId: string, how: Settling): Promise<unknown> {
    return this.shell.run((db) => settleReminder(db, noteId, how));
  }

  /**
   * Closes this device's reminder notifications whose occurrence no longer rings (settled,
   * changed, cleared). One the server rang ahead of this device's clock stays while the reminder
   * would ring it at its own time, as the server judged.
   */
  private async closeSettled(ringingTags: Set<string>): Promise<void> {
    const registration = await this.registration();
    if (!registration) return;
    const reminders = new Map(this.notes.map((note) => [note.id, note.reminder]));
    const now = Date.now();
    const stillRings = (tag: string) => {
      const shown = occurrenceOfTag(tag);
      const reminder = shown && reminders.get(shown.noteId);
      if (!shown || !reminder || reminder.settled === shown.occurrence) return false;
      return occurrenceAt(reminder, Math.max(now, shown.occurrence)) === shown.occurrence;
    };
    const shownNotifications = await registration.getNotifications();
    for (const notification of shownNotifications) {
      if (notification.tag.startsWith('reminder:') && !ringingTags.has(notification.tag) && !stillRings(notification.tag)) notification.close();
    }
  }

  /**
   * The service worker's registration once its worker is active: only then can it show a
   * notification. Just after the app opens (a reminder missed while it was closed, a worker still
   * installing) a ring waits for it a little rather than fall back to the in-app message; without
   * a worker (the dev server) it never comes.
   */
  private async registration(waitMs = 0): Promise<ServiceWorkerRegistration | undefined> {
    if (!('serviceWorker' in navigator) || typeof Notification === 'undefined') return undefined;
    const registered = await navigator.serviceWorker.getRegistration();
    if (registered?.active || waitMs === 0) return registered?.active ? registered : undefined;
    return Promise.race([navigator.serviceWorker.ready, new Promise<undefined>((resolve) => setTimeout(resolve, waitMs))]);
  }
}
