/**
 * Setting a note's reminder: presets (later today, tomorrow morning, next week), or a date and a
 * time of the person's choosing, and a repeat (daily, weekly, monthly, on chosen weekdays). The
 * time is wall-clock time in this device's time zone, kept with the zone, so a daily 08:00 stays at
 * 08:00 across a daylight-saving change. Saving asks for notification permission when it has not
 * been asked yet (at this moment, never on load), and fires `reminder-change` with the reminder,
 * or null to remove it. Loaded with the opened note.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Reminder } from '../shared/reminder.js';
import { dueAt, firstOccurrenceAfter, presets, type LocalDateTime, type Repeat } from '../shared/reminder-time.js';
import { deviceZone, describeReminder } from './reminder-chip.js';
import { dialogStyles, sharedStyles } from './shared-styles.js';

export interface ReminderChangeDetail {
  reminder: Reminder | null;
}

type RepeatChoice = 'none' | Repeat['every'];

const REPEAT_CHOICES: { value: RepeatChoice; label: string }[] = [
  { value: 'none', label: 'Does not repeat' },
  { value: 'day', label: 'Daily' },
  { value: 'week', label: 'Weekly' },
  { value: 'month', label: 'Monthly' },
  { value: 'weekdays', label: 'On chosen days' },
];

/** Monday first, as calendars show a week; values as Repeat's (0 = Sunday). */
const WEEK = [
  { day: 1, short: 'Mon', name: 'Monday' },
  { day: 2, short: 'Tue', name: 'Tuesday' },
  { day: 3, short: 'Wed', name: 'Wednesday' },
  { day: 4, short: 'Thu', name: 'Thursday' },
  { day: 5, short: 'Fri', name: 'Friday' },
  { day: 6, short: 'Sat', name: 'Saturday' },
  { day: 0, short: 'Sun', name: 'Sunday' },
];

/** What the dialog says about where reminders ring, in one line: for a guest, and for a signed-in person. */
export const REMINDER_REACH = {
  guest: 'Reminders ring here while the app is open. Sign in and they ring on all your devices, even with the app closed.',
  signedIn: 'Reminders ring on all your devices at their time, even with the app closed.',
} as const;

@customElement('reminder-dialog')
export class ReminderDialog extends LitElement {
  static override styles = [
    sharedStyles,
    dialogStyles,
    css`
      :host {
        --dialog-width: 420px;
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.125rem;
      }
      .presets {
        display: grid;
        gap: 4px;
        margin-bottom: 12px;
      }
      .presets button {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 16px;
        width: 100%;
      }
      .presets .when {
        opacity: 0.75;
      }
      .fields {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 8px;
      }
      label {
        display: grid;
        gap: 4px;
        font-size: 0.875rem;
      }
      .repeat {
        grid-column: 1 / -1;
      }
      input,
      select {
        min-height: 44px;
        font: inherit;
        color: inherit;
        background: transparent;
        border: 1px solid var(--rn-outline, currentColor);
        border-radius: 8px;
        padding: 0 8px;
      }
      fieldset {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        margin: 0;
        padding: 0;
        border: none;
      }
      fieldset label {
        position: relative;
        display: inline-flex;
        align-items: center;
        justify-content: center;
        min-width: 44px;
        min-height: 44px;
        border: 1px solid var(--rn-outline, currentColor);
        border-radius: 999px;
        cursor: pointer;
      }
      /* The box itself covers its day's pill: the whole pill is what is tapped. */
      fieldset input {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        min-height: 0;
        margin: 0;
        opacity: 0;
        cursor: pointer;
      }
      fieldset label:has(input:checked) {
        background: var(--rn-accent);
        color: var(--rn-on-accent);
        border-color: var(--rn-accent);
      }
      fieldset label:has(input:focus-visible) {
        outline: 2px solid var(--rn-accent);
        outline-offset: 2px;
      }
      .reach {
        margin: 12px 0 0;
        font-size: 0.8125rem;
        opacity: 0.8;
      }
      .problem {
        color: var(--rn-error, #b3261e);
        font-size: 0.875rem;
        min-height: 0;
        margin: 8px 0 0;
      }
      .problem:empty {
        display: none;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        justify-content: flex-end;
        gap: 8px;
        margin-top: 16px;
      }
      .actions .remove {
        margin-right: auto;
      }
    `,
  ];

  /** The note's reminder now (null: none). */
  @property({ attribute: false }) reminder: Reminder | null = null;
  /** Whether the notes are an account's: then the server rings reminders on every device. */
  @property({ type: Boolean }) signedIn = false;

  @state() private _date = '';
  @state() private _time = '';
  @state() private _repeat: RepeatChoice = 'none';
  @state() private _days: number[] = [];
  @state() private _problem = '';
  @query('dialog') private _dialog!: HTMLDialogElement;

  /** Opens with the note's reminder, or tomorrow morning for a new one. */
  async open(): Promise<void> {
    const reminder = this.reminder;
    const at = reminder?.at ?? presets(Date.now(), deviceZone()).tomorrowMorning;
    [this._date, this._time] = at.split('T') as [string, string];
    this._repeat = reminder?.repeat?.every ?? 'none';
    this._days = reminder?.repeat?.every === 'weekdays' ? [...reminder.repeat.days] : [weekdayOf(this._date)];
    this._problem = '';
    await this.updateComplete;
    this._dialog.showModal();
  }

  private _repeatValue(): Repeat | undefined {
    switch (this._repeat) {
      case 'none':
        return undefined;
      case 'month':
        return { every: 'month', day: Number(this._date.slice(8, 10)) };
      case 'weekdays':
        return { every: 'weekdays', days: [...new Set(this._days)].sort((a, b) => a - b) };
      default:
        return { every: this._repeat };
    }
  }

  /** The reminder the fields describe, or why it cannot be set. */
  private _reminder(at: LocalDateTime): Reminder | string {
    const repeat = this._repeatValue();
    if (repeat?.every === 'weekdays' && repeat.days.length === 0) return 'Choose at least one day for it to repeat on.';
    const reminder: Reminder = { at, zone: deviceZone(), ...(repeat ? { repeat } : {}) };
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(at)) return 'Choose a date and a time.';
    const now = Date.now();
    if (dueAt(reminder) > now) return reminder;
    if (!repeat) return 'That time has passed. Choose a later one.';
    // A repeat starting in the past (daily at 08:00, set at noon) starts at its next occurrence.
    return { ...reminder, at: firstOccurrenceAfter(reminder, now) ?? at };
  }

  private async _save(at: LocalDateTime): Promise<void> {
    const reminder = this._reminder(at);
    if (typeof reminder === 'string') {
      this._problem = reminder;
      return;
    }
    // Asked here, in the click that sets a reminder, the one moment the question makes sense.
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') await Notification.requestPermission().catch(() => 'default');
    this._finish(reminder);
  }

  private _finish(reminder: Reminder | null): void {
    this._dialog.close();
    this.dispatchEvent(new CustomEvent<ReminderChangeDetail>('reminder-change', { detail: { reminder }, bubbles: true, composed: true }));
  }

  /** Chosen days start from the weekday of the date in the field, as a calendar's do. */
  private _onRepeatChange = (event: Event) => {
    this._repeat = (event.target as HTMLSelectElement).value as RepeatChoice;
    if (this._repeat === 'weekdays' && !(this.reminder?.repeat?.every === 'weekdays')) this._days = [weekdayOf(this._date)];
  };

  private _toggleDay(day: number, on: boolean): void {
    this._days = on ? [...this._days, day] : this._days.filter((each) => each !== day);
  }

  override render() {
    const now = Date.now();
    const choices = presets(now, deviceZone());
    const preset = (label: string, at: LocalDateTime | undefined) =>
      at ? html`<button class="text-button" @click=${() => void this._save(at)}><span>${label}</span><span class="when">${describeReminder({ at, zone: deviceZone() }, now).when}</span></button>` : nothing;
    return html`<dialog aria-labelledby="reminder-heading" @close=${() => (this._problem = '')}>
      <h2 id="reminder-heading">Remind me</h2>
      <div class="presets">
        ${preset('Later today', choices.laterToday)} ${preset('Tomorrow', choices.tomorrowMorning)} ${preset('Next week', choices.nextWeek)}
      </div>
      <div class="fields">
        <label>Date<input type="date" required .value=${this._date} @input=${(event: Event) => (this._date = (event.target as HTMLInputElement).value)} /></label>
        <label>Time<input type="time" required .value=${this._time} @input=${(event: Event) => (this._time = (event.target as HTMLInputElement).value)} /></label>
        <label class="repeat"
          >Repeat<select @change=${this._onRepeatChange}>
            ${REPEAT_CHOICES.map((choice) => html`<option value=${choice.value} ?selected=${choice.value === this._repeat}>${choice.label}</option>`)}
          </select></label
        >
        ${this._repeat === 'weekdays'
          ? html`<fieldset aria-label="Days">
              ${WEEK.map(
                ({ day, short, name }) => html`<label title=${name}
                  ><input type="checkbox" aria-label=${name} .checked=${this._days.includes(day)} @change=${(event: Event) => this._toggleDay(day, (event.target as HTMLInputElement).checked)} />${short}</label
                >`,
              )}
            </fieldset>`
          : nothing}
      </div>
      <p class="reach">${this.signedIn ? REMINDER_REACH.signedIn : REMINDER_REACH.guest}</p>
      <p class="problem" role="alert">${this._problem}</p>
      <div class="actions">
        ${this.reminder ? html`<button class="text-button remove" @click=${() => this._finish(null)}>Remove</button>` : nothing}
        <button class="text-button" @click=${() => this._dialog.close()}>Cancel</button>
        <button class="text-button primary" @click=${() => void this._save(`${this._date}T${this._time}`)}>Save</button>
      </div>
    </dialog>`;
  }
}

/** The weekday (0 = Sunday) of a "YYYY-MM-DD" date, whatever the device's zone. */
function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

declare global {
  interface HTMLElementTagNameMap {
    'reminder-dialog': ReminderDialog;
  }
}
