/**
 * A note's reminder as a chip: when it rings, in words ("Tomorrow, 08:00"), whether it repeats,
 * and whether it has rung and waits to be settled (accented) or was dismissed (faded). Shown on
 * the card and in the opened note. Defined after the first paint (the card renders the tag, which
 * fills in when this module arrives), so its time-zone arithmetic is not in the first paint's
 * bytes. Every chip re-renders each half minute, so "Today" and "rung" stay true as time passes.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { isRinging, ringsAt, type Reminder } from '../shared/reminder.js';
import { describeRepeat, describeWhen, utcToZoned } from '../shared/reminder-time.js';

const BELL = svg`<path d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6V11c0-3.07-1.64-5.64-4.5-6.32V4a1.5 1.5 0 0 0-3 0v.68C7.63 5.36 6 7.92 6 11v5l-2 2v1h16v-1l-2-2z"/>`;
const bellIcon = svg`<svg width="16" height="16" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">${BELL}</svg>`;
/** The bell at the size of the opened note's other action icons. */
export const reminderIcon = svg`<svg width="20" height="20" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">${BELL}</svg>`;
const repeatIcon = svg`<svg width="14" height="14" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false"><path d="M7 7h10v3l4-4-4-4v3H5v6h2V7zm10 10H7v-3l-4 4 4 4v-3h12v-6h-2v4z"/></svg>`;

const TICK_MS = 30_000;
const shown = new Set<ReminderChip>();
let ticker: ReturnType<typeof setInterval> | undefined;

/** The device's own time zone: a reminder set elsewhere in another zone is shown in this one's wall clock. */
export function deviceZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The reminder's next ring in words, on this device's clock and zone, with its repeat: for chips and labels. */
export function describeReminder(reminder: Reminder, nowMs: number = Date.now()): { when: string; repeat: string | undefined } {
  const zone = deviceZone();
  const local = reminder.zone === zone && reminder.snoozedUntil === undefined ? reminder.at : utcToZoned(ringsAt(reminder), zone);
  return { when: describeWhen(local, nowMs, zone), repeat: reminder.repeat ? describeRepeat(reminder.repeat) : undefined };
}

/** Shows every chip anew: the ringer calls it when a reminder has just rung. */
export function refreshReminderChips(): void {
  shown.forEach((chip) => chip.requestUpdate());
}

@customElement('reminder-chip')
export class ReminderChip extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      min-width: 0;
      max-width: 100%;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      min-width: 0;
      padding: 1px 8px 1px 6px;
      border: 1px solid var(--rn-note-ink-faded, currentColor);
      border-radius: 999px;
      font-size: 0.75rem;
      line-height: 1.4;
      white-space: nowrap;
    }
    .when {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .chip.rung {
      border-color: var(--rn-accent, currentColor);
      background: var(--rn-accent, #1a73e8);
      color: var(--rn-on-accent, #fff);
    }
    .chip.settled {
      text-decoration: line-through;
      opacity: 0.7;
    }
    svg {
      flex: none;
    }
  `;

  @property({ attribute: false }) reminder: Reminder | null | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    shown.add(this);
    ticker ??= setInterval(() => shown.forEach((chip) => chip.requestUpdate()), TICK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    shown.delete(this);
    if (shown.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
    }
  }

  override render() {
    const reminder = this.reminder;
    if (!reminder) return nothing;
    const now = Date.now();
    const { when, repeat } = describeReminder(reminder, now);
    const rung = isRinging(reminder, now);
    const settled = reminder.settled !== undefined && reminder.settled === ringsAt(reminder);
    const state = rung ? ', rang' : settled ? ', dismissed' : '';
    return html`<span class=${`chip ${rung ? 'rung' : settled ? 'settled' : ''}`} role="img" aria-label=${`Reminder: ${when}${repeat ? `, ${repeat}` : ''}${state}`} title=${repeat ? `${when} · ${repeat}` : when}
      >${bellIcon}<span class="when">${when}</span>${repeat ? repeatIcon : nothing}</span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reminder-chip': ReminderChip;
  }
}
