/**
 * Reminders as a person sets them, in real Chromium with real IndexedDB: a preset from the opened
 * note, the chip on the card and in the note, the Reminders view soonest first (from the drawer),
 * a date, time and weekdays of one's own, a time that has passed refused with a reason, Remove;
 * and a reminder ringing while the app is open, as a notification with Done and Snooze, shown once
 * per occurrence (not again after a reload), settled with Done in the note, which closes it;
 * snoozed, and rung again after the hour; a daily one nobody answers, rung at its next occurrence.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, readNotifications, useChromium, useFreshDevice, type Device } from './harness.js';
import { openNote, openedNote } from './opened-note.js';
import { addNote, card } from './people.js';
import { chipLabel, clockAt, closeNote as closeOpened, fieldsOf, openReminderDialog as openDialogOn, reminderChip, reminderDialog as dialogOf, remindIn, shownNotifications } from './reminder-steps.js';

const fresh = useFreshDevice(useChromium());
let device: Device;
let page: Page;

const reminderDialog = () => dialogOf(page);
const chip = (text: string) => reminderChip(page, text);
const openReminderDialog = (text: string) => openDialogOn(page, text);
const closeNote = () => closeOpened(page);

describe('reminders', () => {
  it('a preset from the opened note shows on the card and in the Reminders view, soonest first; a passed time is refused; Remove clears it', async () => {
    device = await fresh.openApp();
    page = device.page;
    await addNote(page, 'Call the bank');
    await addNote(page, 'Renew the passport');

    await openReminderDialog('Call the bank');
    // A guest's reminders ring on this device only: the dialog says so, and what signing in adds.
    expect(await reminderDialog().locator('.reach').textContent()).toBe('Reminders ring here while the app is open. Sign in and they ring on all your devices, even with the app closed.');
    await reminderDialog().getByRole('button', { name: /^Tomorrow/ }).click();
    await reminderDialog().waitFor({ state: 'detached' }).catch(() => undefined);
    await expect.poll(() => openedNote(page).locator('reminder-chip .chip').getAttribute('aria-label')).toBe('Reminder: Tomorrow, 08:00');
    await closeNote();
    await expect.poll(() => chipLabel(page, 'Call the bank')).toBe('Reminder: Tomorrow, 08:00');

    // A date and time of one's own, repeating on chosen weekdays; a time that has passed is refused first.
    await openReminderDialog('Renew the passport');
    const past = await fieldsOf(page, (await page.evaluate(() => Date.now())) - 60 * 60_000);
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
    await expect.poll(() => chipLabel(page, 'Renew the passport')).toBe(`Reminder: 2 Mar ${nextYear}, 09:30, ${days}`);

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
    const soon = await remindIn(page, 'Water the plants', 2);
    expect(await shownNotifications(page)).toEqual([]);

    // Three minutes later, as the page comes back into view.
    await clockAt(page, soon + 60_000);
    await expect.poll(() => shownNotifications(page)).toEqual([{ title: 'Water the plants', body: 'Reminder', reminder: true, actions: ['Done', 'Snooze 1 hour'] }]);
    await expect.poll(() => chipLabel(page, 'Water the plants')).toContain(', rang');

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
    await expect.poll(() => chipLabel(page, 'Water the plants')).toContain(', rang');
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { shownAgain: number }).shownAgain)).toBe(0);

    // Done in the opened note: the one-off is cleared, and its notification closed.
    const note = await openNote(page, 'Water the plants');
    await note.getByRole('button', { name: 'Done', exact: true }).click();
    await expect.poll(() => note.locator('reminder-chip').count()).toBe(0);
    await closeNote();
    await expect.poll(() => chip('Water the plants').count()).toBe(0);
    await expect.poll(() => shownNotifications(page)).toEqual([]);
  });

  it('Snooze closes the notification and rings the same reminder again an hour later, also when the app was closed over that hour', async () => {
    device = await fresh.openApp();
    page = device.page;
    await addNote(page, 'Take out the bins');
    const soon = await remindIn(page, 'Take out the bins', 2);
    const tags = async () => (await readNotifications(page)).map((n) => n.tag);
    await clockAt(page, soon + 60_000);
    await expect.poll(tags).toHaveLength(1);

    const note = await openNote(page, 'Take out the bins');
    await note.getByRole('button', { name: 'Snooze 1 hour', exact: true }).click();
    await closeNote();
    await expect.poll(tags).toEqual([]);
    // Fifty-nine minutes on: still snoozed.
    await clockAt(page, soon + 60 * 60_000);
    await page.waitForTimeout(300);
    expect(await tags()).toEqual([]);

    // The app closed over the snooze's end; opened again past it, the snooze rings, as an occurrence of its own.
    const noteId = await card(page, 'Take out the bins').evaluate((element) => (element as unknown as { note: { id: string } }).note.id);
    await page.goto('about:blank');
    await page.clock.setFixedTime(soon + 2 * 60 * 60_000);
    await openApp(page);
    await expect.poll(tags).toHaveLength(1);
    const [snoozedTag] = await tags();
    expect(snoozedTag).toMatch(new RegExp(`^reminder:${noteId}:\\d+$`));
    expect(snoozedTag).not.toBe(`reminder:${noteId}:${Math.floor(soon / 60_000) * 60_000}`);
  });

  it('a daily reminder nobody answers rings again at its next occurrence, in place of the one before', async () => {
    device = await fresh.openApp();
    page = device.page;
    await addNote(page, 'Feed the cat');
    await openReminderDialog('Feed the cat');
    const first = (await page.evaluate(() => Date.now())) + 2 * 60_000;
    const { date, time } = await fieldsOf(page, first);
    await reminderDialog().getByLabel('Date').fill(date);
    await reminderDialog().getByLabel('Time').fill(time);
    await reminderDialog().getByLabel('Repeat').selectOption('day');
    await reminderDialog().getByRole('button', { name: 'Save' }).click();
    await closeNote();
    const tags = async () => (await readNotifications(page)).map((n) => n.tag);
    const occurrence = Math.floor(first / 60_000) * 60_000;
    const noteId = await card(page, 'Feed the cat').evaluate((element) => (element as unknown as { note: { id: string } }).note.id);

    await clockAt(page, occurrence + 60_000);
    await expect.poll(tags).toEqual([`reminder:${noteId}:${occurrence}`]);
    // Unanswered a day later: the next occurrence rings (as the server rings it), and replaces the first.
    await clockAt(page, occurrence + 24 * 60 * 60_000 + 60_000);
    await expect.poll(tags).toEqual([`reminder:${noteId}:${occurrence + 24 * 60 * 60_000}`]);
    await expect.poll(() => chipLabel(page, 'Feed the cat')).toContain(', rang');
  });

  // Berlin changes its clocks on 28 March 2027 (02:00 CET -> 03:00 CEST) and on 31 October 2027
  // (03:00 CEST -> 02:00 CET). A daily 08:00 reminder must ring at 08:00 on the wall clock on both
  // sides: an hour earlier in UTC after the spring change, an hour later after the autumn one.
  it.each([
    { change: 'spring forward', before: '2027-03-27', after: '2027-03-28', firstUtc: '2027-03-27T07:01:00Z', notYetUtc: '2027-03-28T05:59:00Z', ringsUtc: '2027-03-28T06:01:00Z' },
    { change: 'fall back', before: '2027-10-30', after: '2027-10-31', firstUtc: '2027-10-30T06:01:00Z', notYetUtc: '2027-10-31T06:59:00Z', ringsUtc: '2027-10-31T07:01:00Z' },
  ])('a daily 08:00 reminder rings at 08:00 on the wall clock across the $change', async ({ before, after, firstUtc, notYetUtc, ringsUtc }) => {
    device = await fresh.newDevice({ timezoneId: 'Europe/Berlin' });
    page = device.page;
    await page.clock.setFixedTime(Date.parse(`${before}T05:00:00Z`));
    await openApp(page);
    await addNote(page, 'Morning pills');
    await openReminderDialog('Morning pills');
    await reminderDialog().getByLabel('Date').fill(before);
    await reminderDialog().getByLabel('Time').fill('08:00');
    await reminderDialog().getByLabel('Repeat').selectOption('day');
    await reminderDialog().getByRole('button', { name: 'Save' }).click();
    await closeNote();
    await expect.poll(() => chipLabel(page, 'Morning pills')).toBe('Reminder: Today, 08:00, Daily');

    await clockAt(page, Date.parse(firstUtc));
    await expect.poll(() => shownNotifications(page)).toHaveLength(1);
    const note = await openNote(page, 'Morning pills');
    await note.getByRole('button', { name: 'Done', exact: true }).click();
    await closeNote();
    await expect.poll(() => chipLabel(page, 'Morning pills')).toBe('Reminder: Tomorrow, 08:00, Daily');
    expect(await card(page, 'Morning pills').evaluate((element) => (element as unknown as { note: { reminder: { at: string } } }).note.reminder.at)).toBe(`${after}T08:00`);

    // 07:59 on the day of the change, wall clock: not yet. 08:01: it rings.
    await clockAt(page, Date.parse(notYetUtc));
    await page.waitForTimeout(300);
    expect(await shownNotifications(page)).toEqual([]);
    await clockAt(page, Date.parse(ringsUtc));
    await expect.poll(() => shownNotifications(page)).toHaveLength(1);
  });
});
