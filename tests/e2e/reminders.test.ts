/**
 * Reminders as a person sets them, in real Chromium with real IndexedDB: a preset from the opened
 * note, the chip on the card and in the note, the Reminders view soonest first (from the drawer),
 * a date, time and weekdays of one's own, a time that has passed refused with a reason, Remove;
 * and a reminder ringing while the app is open, as a notification with Done and Snooze, shown once
 * per occurrence (not again after a reload), settled with Done in the note, which closes it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChromium, useFreshDevice, type Device } from './harness.js';
import { openNote, openedNote, waitForClosed } from './opened-note.js';
import { addNote, card } from './people.js';

const fresh = useFreshDevice(useChromium());
let device: Device;
let page: Page;

const reminderDialog = () => page.locator('reminder-dialog dialog[open]');
const chip = (text: string) => card(page, text).locator('reminder-chip');
const chipText = (text: string) => chip(text).evaluate((element) => element.shadowRoot?.textContent?.trim() ?? '');

/** "YYYY-MM-DD" and "HH:mm" of `ms` on the page's own clock and zone, as the date and time fields take them. */
function fieldsOf(ms: number): Promise<{ date: string; time: string }> {
  return page.evaluate((at) => {
    const d = new Date(at);
    const pad = (n: number) => String(n).padStart(2, '0');
    return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
  }, ms);
}

async function openReminderDialog(text: string): Promise<void> {
  const note = await openNote(page, text);
  await note.getByRole('button', { name: 'Remind me' }).click();
  await reminderDialog().waitFor();
}

/** The reminder notifications this device shows now (the service worker's registration lists them). */
function shownNotifications() {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications())
      .filter((notification) => notification.tag.startsWith('reminder:'))
      .map((notification) => ({
        title: notification.title,
        body: notification.body,
        reminder: (notification.data as { kind?: string }).kind === 'reminder',
        actions: ((notification as unknown as { actions?: { title: string }[] }).actions ?? []).map((action) => action.title),
      }));
  });
}

async function closeNote(): Promise<void> {
  await page.keyboard.press('Escape');
  await waitForClosed(page);
}

describe('reminders', () => {
  it('a preset from the opened note shows on the card and in the Reminders view, soonest first; a passed time is refused; Remove clears it', async () => {
    device = await fresh.openApp();
    page = device.page;
    await addNote(page, 'Call the bank');
    await addNote(page, 'Renew the passport');

    await openReminderDialog('Call the bank');
    await reminderDialog().getByRole('button', { name: /^Tomorrow/ }).click();
    await reminderDialog().waitFor({ state: 'detached' }).catch(() => undefined);
    await expect.poll(() => openedNote(page).locator('reminder-chip').evaluate((element) => element.shadowRoot?.textContent?.trim())).toBe('Tomorrow, 08:00');
    await closeNote();
    await expect.poll(() => chipText('Call the bank')).toBe('Tomorrow, 08:00');

    // A date and time of one's own, repeating on chosen weekdays; a time that has passed is refused first.
    await openReminderDialog('Renew the passport');
    const past = await fieldsOf((await page.evaluate(() => Date.now())) - 60 * 60_000);
    await reminderDialog().getByLabel('Date').fill(past.date);
    await reminderDialog().getByLabel('Time').fill(past.time);
    await reminderDialog().getByRole('button', { name: 'Save' }).click();
    await reminderDialog().getByRole('alert').filter({ hasText: 'That time has passed. Choose a later one.' }).waitFor();
    const nextYear = (await page.evaluate(() => new Date().getFullYear())) + 1;
    await reminderDialog().getByLabel('Date').fill(`${nextYear}-03-02`);
    await reminderDialog().getByLabel('Time').fill('09:30');
    await reminderDialog().getByLabel('Repeat').selectOption('weekdays');
    await reminderDialog().getByRole('checkbox', { name: 'Wednesday' }).check({ force: true });
    await reminderDialog().getByRole('button', { name: 'Save' }).click();
    await closeNote();
    // The chosen Wednesday beside the date's own weekday, the one the choice starts with.
    const names = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const dateDay = await page.evaluate((year) => new Date(`${year}-03-02T12:00:00`).getDay(), nextYear);
    const days = [...new Set([dateDay, 3])].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((day) => names[day]).join(', ');
    await expect.poll(() => chip('Renew the passport').locator('.chip').getAttribute('aria-label')).toBe(`Reminder: 2 Mar ${nextYear}, 09:30, ${days}`);

    // The Reminders view, from the drawer: soonest first.
    await page.getByRole('button', { name: 'Labels' }).click();
    await page.getByRole('button', { name: 'Reminders', exact: true }).click();
    await page.getByRole('heading', { name: 'Reminders', exact: true }).waitFor();
    await expect.poll(() => page.locator('note-card').evaluateAll((cards) => cards.map((c) => (c as unknown as { note: { text: string } }).note.text))).toEqual(['Call the bank', 'Renew the passport']);

    await openReminderDialog('Call the bank');
    await reminderDialog().getByRole('button', { name: 'Remove' }).click();
    await closeNote();
    await expect.poll(() => page.locator('note-card').count()).toBe(1);
    await page.getByRole('button', { name: 'Notes', exact: true }).click();
    await expect.poll(() => chip('Call the bank').count()).toBe(0);
  });

  it('rings while the app is open as a notification with Done and Snooze, once per occurrence (not again after a reload), and Done in the note settles and closes it', async () => {
    device = await fresh.openApp();
    page = device.page;
    await addNote(page, 'Water the plants');
    const soon = (await page.evaluate(() => Date.now())) + 2 * 60_000;
    const { date, time } = await fieldsOf(soon);
    await openReminderDialog('Water the plants');
    await reminderDialog().getByLabel('Date').fill(date);
    await reminderDialog().getByLabel('Time').fill(time);
    await reminderDialog().getByRole('button', { name: 'Save' }).click();
    await closeNote();
    await chip('Water the plants').waitFor();
    expect(await shownNotifications()).toEqual([]);

    // Three minutes later, as the page comes back into view (timers sleep with the device).
    await page.clock.setFixedTime(soon + 60_000);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(shownNotifications).toEqual([{ title: 'Water the plants', body: 'Reminder', reminder: true, actions: ['Done', 'Snooze 1 hour'] }]);
    await expect.poll(() => chip('Water the plants').locator('.chip').getAttribute('aria-label')).toContain(', rang');

    // Once per device: after a reload the occurrence is not shown again (the chip still says it rang).
    await page.addInitScript(() => {
      const counted = window as unknown as { shownAgain: number };
      counted.shownAgain = 0;
      const show = ServiceWorkerRegistration.prototype.showNotification;
      ServiceWorkerRegistration.prototype.showNotification = function (...args) {
        counted.shownAgain += 1;
        return show.apply(this, args);
      };
    });
    await page.reload();
    await expect.poll(() => chip('Water the plants').locator('.chip').getAttribute('aria-label')).toContain(', rang');
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { shownAgain: number }).shownAgain)).toBe(0);

    // Done in the opened note: the one-off is cleared, and its notification closed.
    const note = await openNote(page, 'Water the plants');
    await note.getByRole('button', { name: 'Done', exact: true }).click();
    await expect.poll(() => note.locator('reminder-chip').count()).toBe(0);
    await closeNote();
    await expect.poll(() => chip('Water the plants').count()).toBe(0);
    await expect.poll(shownNotifications).toEqual([]);
  });
});
