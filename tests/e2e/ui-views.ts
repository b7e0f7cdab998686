/**
 * The app's views as the layout and accessibility checks visit them: the sizes and color schemes,
 * the content seeded into each device (through the app's own backup import, so it survives changes
 * to the store's shape), the two devices (a touch phone and a mouse desktop, each one page that is
 * resized), and the list of views with how to open and close each. A new view is one entry in
 * UI_VIEWS.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { serveGapiStandIn } from './gapi-stand-in.js';
import { openApp, readStores, waitForServiceWorker } from './harness.js';
import { openNote, openedNote, waitForClosed } from './opened-note.js';
import { card, signIn, uniqueEmail } from './people.js';
import { REMINDER_BUTTON } from './reminder-steps.js';

export type ColorScheme = 'light' | 'dark';
export const COLOR_SCHEMES: readonly ColorScheme[] = ['light', 'dark'];

/** A touch phone or tablet (Playwright's hasTouch + isMobile: `pointer: coarse`), or a mouse. */
export type Pointer = 'touch' | 'mouse';

export interface ScreenSize {
  width: number;
  height: number;
  pointer: Pointer;
}

/** Phone to large desktop; 768 px and below are touch devices, where targets must be 44 px. */
export const SCREEN_SIZES: readonly ScreenSize[] = [
  { width: 320, height: 568, pointer: 'touch' },
  { width: 390, height: 844, pointer: 'touch' },
  { width: 768, height: 1024, pointer: 'touch' },
  { width: 1280, height: 800, pointer: 'mouse' },
  { width: 1920, height: 1080, pointer: 'mouse' },
];

/** WCAG 2.5.5 (AAA) and the platforms' own guidance: the smallest target a finger hits reliably. */
export const MIN_TOUCH_TARGET_PX = 44;

/** First line of the pinned note: as long as a title a person might type. */
export const LONG_TITLE =
  'Plan for the long weekend at the coast with the grandparents, the dog and the neighbours’ two kids';
/** 3,000 characters with no space anywhere: a pasted token or URL, which must wrap, not widen. */
export const UNBROKEN_LINE = `https://example.com/share/${'a1b2c3d4e5f6g7h8i9j0'.repeat(150)}`.slice(0, 3_000);
const BOARD_NOTE_COUNT = 40;
const TRASHED_NOTE_COUNT = 3;

const COLORS = ['yellow', 'green', 'pink', 'purple', 'blue', 'gray'] as const;
const SHORT_TEXTS = [
  'Pick up milk',
  'Call the plumber about the kitchen tap',
  'Book the dentist for Tuesday morning\nAsk about the night guard',
  'Return the library books',
  'Birthday present for Sam: the blue scarf from the market',
  'Water the plants on the balcony',
  'Renew the car insurance before the 14th\nCompare two quotes first',
  'Gym bag: towel, shoes, lock',
];

interface BackupNote {
  id: string;
  text: string;
  color: (typeof COLORS)[number];
  pinned: boolean;
  done: boolean;
  trashed: boolean;
  archived?: boolean;
  items?: { id: string; text: string; done: boolean }[];
  labels?: string[];
  reminder?: { at: string; zone: string; repeat?: { every: string; days?: number[]; day?: number } };
  createdAt: number;
  updatedAt: number;
}

/** A checklist with a long item and an unbroken one, two of them ticked. */
export const CHECKLIST_TITLE = 'Checklist for the move';

/** The seeded labels, the longest name a label may have among them (50 characters). */
export const LONG_LABEL = 'Renovation of the flat: quotes, plans and receipts';
const LABELS = [
  { id: 'label-home', name: 'Home', color: 'green' },
  { id: 'label-long', name: LONG_LABEL, color: 'none' },
  { id: 'label-travel', name: 'Travel', color: 'blue' },
  { id: 'label-work', name: 'Work', color: 'none' },
  { id: 'label-errands', name: 'Errands', color: 'pink' },
];

/** The first archived note's title: the Archive view waits for it. */
export const ARCHIVED_TITLE = 'Trip ideas, archived for next year';
/** A board note whose text holds links (and a hostile address that stays text). */
export const LINKS_TEXT = 'Links to keep\nhttps://example.com/recipes/lemon-tart?serves=6 and mailto:ana@example.com, not javascript:alert(1)';

/**
 * The seeded notes, as a backup file of the app's own format: the long title (pinned) and the
 * unbroken line first, a note with links, then 40 ordinary notes, a few archived (one long, one
 * with links) and a few in the trash (one of them long too).
 */
export function seededBackup(now = Date.now()): string {
  const notes: BackupNote[] = [];
  const add = (text: string, extra: Partial<BackupNote> = {}) => {
    const at = now - notes.length * 60_000;
    notes.push({ id: `layout-${notes.length}`, text, color: COLORS[notes.length % COLORS.length], pinned: false, done: false, trashed: false, createdAt: at, updatedAt: at, ...extra });
  };
  // Reminders in the seeding device's zone, next year: the longest chip there is (another year, a
  // repeat on chosen days) on the long title, and a monthly one.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const nextYear = new Date(now).getFullYear() + 1;
  add(`${LONG_TITLE}\nTowels, sunscreen, the big umbrella\nBook the ferry\nAsk Ana about the cottage key`, {
    pinned: true,
    labels: ['label-long'],
    reminder: { at: `${nextYear}-12-28T23:45`, zone, repeat: { every: 'weekdays', days: [1, 3, 5] } },
  });
  add(UNBROKEN_LINE);
  add(LINKS_TEXT, { reminder: { at: `${nextYear}-01-31T08:00`, zone, repeat: { every: 'month', day: 31 } } });
  for (let i = 0; i < BOARD_NOTE_COUNT; i++) {
    add(`${SHORT_TEXTS[i % SHORT_TEXTS.length]} (${i + 1})`, { done: i % 5 === 3, pinned: i === 6, ...(i === 1 ? { labels: LABELS.map((label) => label.id) } : i % 3 === 0 ? { labels: [LABELS[(i / 3) % 2 ? 1 : 0]!.id, 'label-errands'] } : {}) });
  }
  add(CHECKLIST_TITLE, {
    items: [
      { id: 'item-1', text: 'Boxes', done: false },
      { id: 'item-2', text: `${LONG_TITLE}, and the spare keys`, done: false },
      { id: 'item-3', text: UNBROKEN_LINE.slice(0, 900), done: false },
      { id: 'item-4', text: 'Tape', done: true },
      { id: 'item-5', text: UNBROKEN_LINE.slice(0, 300), done: true },
    ],
  });
  add(`${ARCHIVED_TITLE}\nhttps://example.com/trips/coast-cottages and the ferry timetable`, { archived: true });
  add(`${LONG_TITLE} (archived)\n${UNBROKEN_LINE}`, { archived: true, pinned: true });
  add('Tax return filed', { archived: true, done: true });
  add(`${LONG_TITLE} (an older draft)\nThe first plan, before the ferry times changed`, { trashed: true });
  add(UNBROKEN_LINE, { trashed: true });
  for (let i = notes.length; notes.filter((n) => n.trashed).length < TRASHED_NOTE_COUNT; i++) add(`Old receipt ${i}`, { trashed: true });
  return JSON.stringify({ format: 'roaming-notes-backup', version: 1, exportedAt: new Date(now).toISOString(), labels: LABELS, notes });
}

/**
 * Loads a backup through Settings → Import notes, as a person would, closes Settings, and waits
 * for the card holding `shownText` on the board.
 */
export async function importBackup(page: Page, backupJson: string, shownText = LONG_TITLE): Promise<void> {
  const count = (JSON.parse(backupJson) as { notes: unknown[] }).notes.length;
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.locator('settings-panel input[type=file]').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from(backupJson) });
  await page.getByTestId('backup-report').filter({ hasText: `${count} added` }).waitFor();
  await page.locator('settings-panel').getByRole('button', { name: 'Close' }).click();
  await card(page, shownText).first().waitFor();
}

/** Who must be using the app for a view: every guest view comes before every account view. */
export type Who = 'guest' | 'account';

export interface UiView {
  name: string;
  who: Who;
  /** Shows the view on a page at rest (the board, scrolled to the top) and waits until it is there. */
  open(page: Page): Promise<void>;
  /** Back to the board at rest. */
  close(page: Page): Promise<void>;
  /** Only these screen widths in the layout check (a view that adds little at the others); every width when absent. */
  widths?: readonly number[];
}

const atRest = async () => undefined;
const openDialog = (page: Page, host: string) => page.locator(`${host} dialog[open]`).waitFor();
const closeDialog = async (page: Page, host: string) => {
  await page.locator(host).getByRole('button', { name: 'Close' }).click();
  await page.locator(`${host} dialog[open]`).waitFor({ state: 'detached' });
};

const openTrash = async (page: Page) => {
  await page.getByRole('button', { name: /^Trash/ }).click();
  await page.getByRole('heading', { name: 'Trash' }).waitFor();
  await card(page, 'Old receipt').first().waitFor();
};
const closeTrash = async (page: Page) => {
  await page.getByRole('button', { name: 'Notes', exact: true }).click();
  await page.getByRole('heading', { name: 'Notes', exact: true }).waitFor();
};
const openDrawer = async (page: Page) => {
  await page.locator('app-header').getByRole('button', { name: 'Labels' }).click();
  await page.locator('labels-drawer dialog[open]').getByRole('button', { name: 'Travel' }).waitFor();
};
const openArchive = async (page: Page) => {
  // Below 360 px the header leaves Archive to the side drawer (its Labels button).
  const inHeader = page.locator('app-header').getByRole('button', { name: 'Archive', exact: true });
  if (await inHeader.isVisible()) await inHeader.click();
  else {
    await openDrawer(page);
    await page.locator('labels-drawer').getByRole('button', { name: 'Archive', exact: true }).click();
  }
  await page.getByRole('heading', { name: 'Archive' }).waitFor();
  await card(page, ARCHIVED_TITLE).first().waitFor();
};
const closeOpenedNote = async (page: Page) => {
  await page.keyboard.press('Escape');
  await waitForClosed(page);
};

/** Every view the checks visit, in the order they visit them. */
export const UI_VIEWS: readonly UiView[] = [
  { name: 'board', who: 'guest', open: atRest, close: atRest },
  {
    name: 'board, More actions menu open',
    who: 'guest',
    open: async (page) => {
      await card(page, LONG_TITLE).first().getByRole('button', { name: 'More actions' }).click();
      await card(page, LONG_TITLE).first().getByRole('menu').waitFor();
    },
    close: async (page) => {
      await page.keyboard.press('Escape');
      await card(page, LONG_TITLE).first().getByRole('menu').waitFor({ state: 'detached' });
    },
  },
  {
    name: 'several notes selected',
    who: 'guest',
    open: async (page) => {
      await card(page, LONG_TITLE).first().locator('.preview').click({ modifiers: ['Control'] });
      await card(page, 'Pick up milk (1)').first().locator('.preview').click({ modifiers: ['Control'] });
      await page.getByRole('toolbar', { name: 'Selected notes' }).getByText('2 selected').waitFor();
      // Clicking the second card may have scrolled it into view: back to the top, as at rest.
      await page.evaluate(() => window.scrollTo(0, 0));
    },
    close: async (page) => {
      await page.keyboard.press('Escape');
      await page.getByRole('toolbar', { name: 'Selected notes' }).waitFor({ state: 'detached' });
    },
  },
  { name: 'opened note', who: 'guest', open: (page) => openNote(page, LONG_TITLE).then(() => undefined), close: closeOpenedNote },
  {
    name: 'opened checklist, ticked items shown',
    who: 'guest',
    open: async (page) => {
      // Found by search: it sits below the 40 board notes, beyond the rendered part of the board.
      await page.keyboard.press('/');
      await page.getByRole('searchbox', { name: 'Search notes' }).fill(CHECKLIST_TITLE);
      const dialog = await openNote(page, CHECKLIST_TITLE);
      await dialog.getByRole('button', { name: '2 ticked items' }).click();
      await dialog.getByRole('checkbox', { name: 'Ticked: Tape' }).waitFor();
    },
    close: async (page) => {
      await closeOpenedNote(page);
      await page.getByRole('searchbox', { name: 'Search notes' }).fill('');
      await page.keyboard.press('Escape');
      await card(page, LONG_TITLE).first().waitFor();
    },
  },
  {
    name: 'opened note, color menu open',
    who: 'guest',
    open: async (page) => {
      const dialog = await openNote(page, LONG_TITLE);
      await dialog.getByRole('button', { name: 'Change color' }).click();
      await dialog.getByRole('menu').waitFor();
    },
    close: async (page) => {
      await page.keyboard.press('Escape');
      await openedNote(page).getByRole('menu').waitFor({ state: 'detached' });
      await closeOpenedNote(page);
    },
  },
  {
    name: 'keyboard shortcuts',
    who: 'guest',
    open: async (page) => {
      // "?" works at every size; the header's button for mouse users is hidden on touch screens.
      await page.keyboard.press('?');
      await openDialog(page, 'shortcut-sheet');
    },
    close: (page) => closeDialog(page, 'shortcut-sheet'),
  },
  {
    name: 'trash',
    who: 'guest',
    open: openTrash,
    close: closeTrash,
  },
  { name: 'archive', who: 'guest', open: openArchive, close: closeTrash },
  {
    name: 'reminders',
    who: 'guest',
    open: async (page) => {
      await openDrawer(page);
      await page.locator('labels-drawer').getByRole('button', { name: 'Reminders', exact: true }).click();
      await page.getByRole('heading', { name: 'Reminders', exact: true }).waitFor();
      await card(page, LONG_TITLE).first().locator('reminder-chip .chip').waitFor();
    },
    close: closeTrash,
  },
  {
    name: 'opened note, reminder dialog open',
    who: 'guest',
    open: async (page) => {
      const dialog = await openNote(page, LONG_TITLE);
      await dialog.getByRole('button', { name: REMINDER_BUTTON }).click();
      await page.locator('reminder-dialog dialog[open]').getByRole('checkbox', { name: 'Wednesday' }).waitFor({ state: 'attached' });
    },
    close: async (page) => {
      await page.locator('reminder-dialog dialog[open]').getByRole('button', { name: 'Cancel' }).click();
      await closeOpenedNote(page);
    },
  },
  {
    name: 'labels drawer',
    who: 'guest',
    open: openDrawer,
    close: async (page) => {
      await page.keyboard.press('Escape');
      await page.locator('labels-drawer dialog[open]').waitFor({ state: 'detached' });
    },
    widths: [320, 390, 1280],
  },
  {
    name: 'edit labels, a label\'s colors open',
    who: 'guest',
    open: async (page) => {
      await openDrawer(page);
      await page.locator('labels-drawer').getByRole('button', { name: 'Edit labels' }).click();
      await page.locator('labels-manager').getByRole('button', { name: /^Color of Travel/ }).click();
      await page.locator('labels-manager').getByRole('radio', { name: 'Blue' }).waitFor();
    },
    close: async (page) => {
      await page.locator('labels-manager').getByRole('button', { name: 'Done' }).click();
      await page.locator('labels-manager dialog[open]').waitFor({ state: 'detached' });
    },
    widths: [320, 390, 1280],
  },
  {
    name: 'board filtered by a label',
    who: 'guest',
    open: async (page) => {
      await openDrawer(page);
      await page.locator('labels-drawer').getByRole('button', { name: LONG_LABEL }).click();
      await page.getByRole('heading', { name: LONG_LABEL }).waitFor();
      await card(page, LONG_TITLE).first().waitFor();
    },
    close: async (page) => {
      await page.getByRole('button', { name: 'All notes' }).click();
      await page.getByRole('heading', { name: 'Notes', exact: true }).waitFor();
    },
    widths: [320, 390, 1280],
  },
  {
    name: 'opened note, labels picker open',
    who: 'guest',
    open: async (page) => {
      const dialog = await openNote(page, LONG_TITLE);
      await dialog.getByRole('button', { name: 'Labels' }).click();
      await page.locator('note-labels dialog[open]').getByRole('checkbox', { name: 'Travel' }).waitFor();
    },
    close: async (page) => {
      await page.locator('note-labels dialog[open]').getByRole('button', { name: 'Done' }).click();
      await closeOpenedNote(page);
    },
    widths: [320, 390, 1280],
  },
  {
    name: 'search finding archived notes',
    who: 'guest',
    open: async (page) => {
      // "/" opens search at every size (on phones the field sits behind a button).
      await page.keyboard.press('/');
      await page.getByRole('searchbox', { name: 'Search notes' }).fill('trip ideas');
      await card(page, ARCHIVED_TITLE).first().getByText('Archived', { exact: true }).waitFor();
    },
    close: async (page) => {
      await page.getByRole('searchbox', { name: 'Search notes' }).fill('');
      await page.keyboard.press('Escape');
      await card(page, LONG_TITLE).first().waitFor();
    },
  },
  {
    name: 'opened note in the trash',
    who: 'guest',
    open: async (page) => {
      await openTrash(page);
      await openNote(page, 'Old receipt');
    },
    close: async (page) => {
      await closeOpenedNote(page);
      await closeTrash(page);
    },
  },
  {
    name: 'settings',
    who: 'guest',
    open: async (page) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await openDialog(page, 'settings-panel');
      await page.getByTestId('storage-used').filter({ hasNotText: 'Checking' }).waitFor();
    },
    close: (page) => closeDialog(page, 'settings-panel'),
  },
  {
    name: 'sign-in dialog',
    who: 'guest',
    open: async (page) => {
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await openDialog(page, 'account-dialog');
    },
    close: (page) => closeDialog(page, 'account-dialog'),
  },
  // The header with the account's avatar in place of "Sign in", and "On this device (N)" for the
  // guest notes the person chose not to move yet.
  { name: 'board, signed in', who: 'account', open: atRest, close: atRest },
  {
    name: 'on this device',
    who: 'account',
    open: async (page) => {
      await page.getByRole('button', { name: /^On this device \(\d+\)$/ }).click();
      await openDialog(page, 'guest-notes-panel');
    },
    close: (page) => closeDialog(page, 'guest-notes-panel'),
  },
  {
    name: 'account menu',
    who: 'account',
    open: async (page) => {
      await page.getByRole('button', { name: /^Account: / }).click();
      await openDialog(page, 'account-dialog');
    },
    close: (page) => closeDialog(page, 'account-dialog'),
  },
  {
    name: 'devices panel',
    who: 'account',
    open: async (page) => {
      await page.getByRole('button', { name: /^Account: / }).click();
      await page.getByRole('button', { name: 'My devices' }).click();
      await openDialog(page, 'devices-panel');
      await page.locator('devices-panel li', { hasText: 'This device' }).waitFor();
    },
    close: (page) => closeDialog(page, 'devices-panel'),
  },
];

/**
 * One device the checks drive: a context of its own (touch or mouse), one page resized to each
 * width, on the emulator build, seeded as a guest; signed in (guest notes kept on the device with
 * "Not now", notifications on, everything synced) when the first account view comes.
 */
export class UiDevice {
  private signingIn: Promise<void> | undefined;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(browser: Browser, baseUrl: string, pointer: Pointer): Promise<UiDevice> {
    const first = SCREEN_SIZES.find((size) => size.pointer === pointer)!;
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: first.width, height: first.height },
      ...(pointer === 'touch' ? { hasTouch: true, isMobile: true } : {}),
      reducedMotion: 'reduce',
    });
    await context.grantPermissions(['notifications'], { origin: new URL(baseUrl).origin });
    await serveGapiStandIn(context);
    const page = await context.newPage();
    await openApp(page);
    // Turning notifications on needs the worker; installing it under load can take a while, so now.
    await waitForServiceWorker(page);
    const coarse = await page.evaluate(() => matchMedia('(pointer: coarse)').matches);
    // The 44-px rule applies where the pointer is coarse: if emulation did not make it so, the check would be vacuous.
    expect(coarse, `a ${pointer} device must report (pointer: coarse) = ${pointer === 'touch'}`).toBe(pointer === 'touch');
    await importBackup(page, seededBackup());
    return new UiDevice(context, page);
  }

  /**
   * Signs in (once) when `who` is 'account'; a guest view after an account view is a mistake in
   * UI_VIEWS. A failed sign-in fails every later account view the same way, never half-repeated.
   */
  become(who: Who): Promise<void> {
    if (who === 'guest') {
      return this.signingIn ? Promise.reject(new Error('UI_VIEWS lists a guest view after an account view: list every guest view first')) : Promise.resolve();
    }
    this.signingIn ??= this.signIn();
    return this.signingIn;
  }

  private async signIn(): Promise<void> {
    const page = this.page;
    await signIn(page, 'Google', { email: uniqueEmail('layout'), name: 'Robin Layout' });
    // "Not now": the guest notes stay on this device, reachable from "On this device (N)".
    await page.getByRole('button', { name: 'Not now' }).click();
    await page.getByText(/^Not moved\./).waitFor();
    await page.locator('app-snackbar').getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: /^Account: / }).click();
    await page.getByRole('button', { name: 'My devices' }).click();
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByText('Notifications are on for this device.', { exact: true }).first().waitFor();
    await closeDialog(page, 'devices-panel');
    // The header shows unsynced changes: wait until there are none, so every size sees one header.
    await expect.poll(async () => (await readStores(page, 'account', ['outbox'])).records.outbox?.length, { timeout: 30_000 }).toBe(0);
  }

  /** Resizes and recolors the page, scrolled to the top, and waits until its layout is still. */
  async show(size: ScreenSize, scheme: ColorScheme): Promise<void> {
    await this.page.setViewportSize({ width: size.width, height: size.height });
    await this.page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await this.page.evaluate(() => window.scrollTo(0, 0));
    await settle(this.page);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/**
 * Waits until fonts are loaded, animations are done and the boxes of every element (through
 * shadow roots) stay the same for two frames in a row: a windowed board re-renders after a resize.
 */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    for (const animation of document.getAnimations()) animation.finish();
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const boxes = () => {
      const parts: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll('*')) {
          const box = element.getBoundingClientRect();
          parts.push(`${box.x},${box.y},${box.width},${box.height}`);
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(document);
      return parts.join(';');
    };
    let before = boxes();
    for (let attempt = 0; attempt < 100; attempt++) {
      await frame();
      const now = boxes();
      if (now === before) return;
      before = now;
    }
    throw new Error('the layout kept changing for 100 frames');
  });
}
