/**
 * Reminders as a person sets and answers them in browser tests: the dialog from the opened note,
 * a date and time of one's own, the chip on a card, the reminder notifications a device shows, and
 * moving a device's clock past a reminder's time.
 */
import type { Page } from 'playwright-core';
import { readNotifications } from './harness.js';
import { openNote, waitForClosed } from './opened-note.js';
import { card } from './people.js';

export const reminderDialog = (page: Page) => page.locator('reminder-dialog dialog[open]');
export const reminderChip = (page: Page, text: string) => card(page, text).first().locator('reminder-chip');
/** The chip's accessible name ("Reminder: Today, 08:00, Daily, rang"). */
export const chipLabel = (page: Page, text: string) => reminderChip(page, text).locator('.chip').getAttribute('aria-label');

/** "YYYY-MM-DD" and "HH:mm" of `ms` on the page's own clock and zone, as the date and time fields take them. */
export function fieldsOf(page: Page, ms: number): Promise<{ date: string; time: string }> {
  return page.evaluate((at) => {
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
  }, ms);
}

/** The opened note's reminder button: the bell, or the chip of the reminder it has. */
export const REMINDER_BUTTON = /^(Remind me|Reminder: .*)$/;

export async function openReminderDialog(page: Page, text: string): Promise<void> {
  const note = await openNote(page, text);
  await note.getByRole('button', { name: REMINDER_BUTTON }).click();
  await reminderDialog(page).waitFor();
}

export async function closeNote(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await waitForClosed(page);
}

/** Sets a one-off reminder on the note showing `text`, `minutes` from now (to the minute), and closes the note; returns its instant. */
export async function remindIn(page: Page, text: string, minutes: number): Promise<number> {
  const at = (await page.evaluate(() => Date.now())) + minutes * 60_000;
  const { date, time } = await fieldsOf(page, at);
  await openReminderDialog(page, text);
  await reminderDialog(page).getByLabel('Date').fill(date);
  await reminderDialog(page).getByLabel('Time').fill(time);
  await reminderDialog(page).getByRole('button', { name: 'Save' }).click();
  await closeNote(page);
  await reminderChip(page, text).waitFor();
  return at;
}

/** The device's clock stands at `ms`, and the page comes back into view (timers sleep with the device). */
export async function clockAt(page: Page, ms: number): Promise<void> {
  await page.clock.setFixedTime(ms);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
}

/** The reminder notifications this device shows now (the service worker's registration lists them). */
export async function shownNotifications(page: Page) {
  return (await readNotifications(page))
    .filter((notification) => notification.tag.startsWith('reminder:'))
    .map((notification) => ({
      title: notification.title,
      body: notification.body,
      reminder: (notification.data as { kind?: string }).kind === 'reminder',
      actions: notification.actions.map((action) => action.title),
    }));
}
