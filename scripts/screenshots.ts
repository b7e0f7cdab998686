/**
 * `npm run screenshots`: the README's pictures of the app, made by the app itself. Builds it
 * (local-only, as a guest uses it; SCREENSHOTS_SKIP_BUILD=1 reuses the last build), serves the
 * build, seeds a believable set of notes through the app's own backup import, and writes one PNG
 * per entry of SHOTS to docs/screenshots/ from real Chromium. A new picture is one entry in SHOTS.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { CONTENT_TYPES } from '../testing/static-server.js';
import { launchChromium, openApp } from '../tests/e2e/harness.js';
import { openNote } from '../tests/e2e/opened-note.js';
import { card } from '../tests/e2e/people.js';
import { importBackup, settle, type ColorScheme } from '../tests/e2e/ui-views.js';
import { utcToZoned, type Repeat } from '../src/shared/reminder-time.js';
import { REMINDER_BUTTON } from '../tests/e2e/reminder-steps.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const BUILD_DIR = join(REPO, 'dist-screenshots');
const OUT_DIR = join(REPO, 'docs', 'screenshots');

interface Shot {
  /** File name under docs/screenshots/, without .png. */
  file: string;
  width: number;
  height: number;
  phone: boolean;
  scheme: ColorScheme;
  /** From the board at rest to what the picture shows. */
  show(page: Page): Promise<void>;
}

const board = async () => undefined;
const trash = async (page: Page) => {
  await page.getByRole('button', { name: /^Trash/ }).click();
  await card(page, 'Old phone charger').waitFor();
};
/** The recipe, opened: the dialog on a desktop, the full-screen sheet on a phone. */
const openedRecipe = async (page: Page) => {
  await openNote(page, 'lentil soup');
};
const shortcuts = async (page: Page) => {
  await page.keyboard.press('?');
  await page.locator('shortcut-sheet dialog[open]').waitFor();
};
/** Two notes selected (Ctrl-click): the selection bar over the header. */
const selectTwo = async (page: Page) => {
  for (const text of ['Groceries', 'Books to read']) await card(page, text).locator('.preview').click({ modifiers: ['Control'] });
  await page.getByRole('toolbar', { name: 'Selected notes' }).getByText('2 selected').waitFor();
};
/** The Archive view: archived notes, one of them with links. */
const archive = async (page: Page) => {
  await page.getByRole('button', { name: 'Archive', exact: true }).click();
  await card(page, 'Lisbon trip ideas').waitFor();
};
/** A checklist, opened, its ticked items shown. */
const openedList = async (page: Page) => {
  const dialog = await openNote(page, 'Groceries');
  await dialog.getByRole('button', { name: '2 ticked items' }).click();
  await dialog.getByRole('checkbox', { name: 'Ticked: Eggs' }).waitFor();
};
/** The side drawer: the views and the labels. */
const labelsDrawer = async (page: Page) => {
  await page.locator('app-header').getByRole('button', { name: 'Labels' }).click();
  await page.locator('labels-drawer dialog[open]').getByRole('button', { name: 'Travel' }).waitFor();
};
/** "Edit labels", one label's colors open. */
const labelsManager = async (page: Page) => {
  await labelsDrawer(page);
  await page.locator('labels-drawer').getByRole('button', { name: 'Edit labels' }).click();
  const manager = page.locator('labels-manager dialog[open]');
  await manager.getByRole('button', { name: /^Color of Travel/ }).click();
  await manager.getByRole('radio', { name: 'Blue' }).waitFor();
};
/** The board filtered by the label Home. */
const labelHome = async (page: Page) => {
  await labelsDrawer(page);
  await page.locator('labels-drawer').getByRole('button', { name: 'Home', exact: true }).click();
  await page.locator('labels-drawer dialog[open]').waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: 'Home' }).waitFor();
};
/** The bell of the insurance note, its reminder dialog open. */
const reminderDialog = async (page: Page) => {
  const dialog = await openNote(page, 'Renew the car insurance');
  await dialog.getByRole('button', { name: REMINDER_BUTTON }).click();
  await page.locator('reminder-dialog dialog[open]').getByRole('button', { name: 'Save' }).waitFor();
};
/** The Reminders view, from the drawer: soonest first. */
const reminders = async (page: Page) => {
  await page.locator('app-header').getByRole('button', { name: 'Labels' }).click();
  await page.locator('labels-drawer dialog[open]').getByRole('button', { name: 'Reminders', exact: true }).click();
  await page.getByRole('heading', { name: 'Reminders', exact: true }).waitFor();
  await card(page, 'Renew the car insurance').locator('reminder-chip .chip').waitFor();
};
const DESKTOP = { width: 1280, height: 800, phone: false };
const PHONE = { width: 390, height: 844, phone: true };

export const SHOTS: readonly Shot[] = [
  { file: 'board-desktop-light', ...DESKTOP, scheme: 'light', show: board },
  { file: 'board-desktop-dark', ...DESKTOP, scheme: 'dark', show: board },
  { file: 'board-phone-light', ...PHONE, scheme: 'light', show: board },
  { file: 'board-phone-dark', ...PHONE, scheme: 'dark', show: board },
  { file: 'trash-phone-light', ...PHONE, scheme: 'light', show: trash },
  { file: 'note-desktop-light', ...DESKTOP, scheme: 'light', show: openedRecipe },
  { file: 'note-desktop-dark', ...DESKTOP, scheme: 'dark', show: openedRecipe },
  { file: 'note-phone-light', ...PHONE, scheme: 'light', show: openedRecipe },
  { file: 'note-phone-dark', ...PHONE, scheme: 'dark', show: openedRecipe },
  { file: 'list-desktop-light', ...DESKTOP, scheme: 'light', show: openedList },
  { file: 'list-desktop-dark', ...DESKTOP, scheme: 'dark', show: openedList },
  { file: 'list-phone-light', ...PHONE, scheme: 'light', show: openedList },
  { file: 'list-phone-dark', ...PHONE, scheme: 'dark', show: openedList },
  { file: 'shortcuts-desktop-light', ...DESKTOP, scheme: 'light', show: shortcuts },
  { file: 'select-desktop-dark', ...DESKTOP, scheme: 'dark', show: selectTwo },
  { file: 'select-phone-light', ...PHONE, scheme: 'light', show: selectTwo },
  { file: 'archive-desktop-light', ...DESKTOP, scheme: 'light', show: archive },
  { file: 'archive-desktop-dark', ...DESKTOP, scheme: 'dark', show: archive },
  { file: 'archive-phone-light', ...PHONE, scheme: 'light', show: archive },
  { file: 'archive-phone-dark', ...PHONE, scheme: 'dark', show: archive },
  { file: 'labels-drawer-desktop-light', ...DESKTOP, scheme: 'light', show: labelsDrawer },
  { file: 'labels-drawer-desktop-dark', ...DESKTOP, scheme: 'dark', show: labelsDrawer },
  { file: 'labels-drawer-phone-light', ...PHONE, scheme: 'light', show: labelsDrawer },
  { file: 'labels-drawer-phone-dark', ...PHONE, scheme: 'dark', show: labelsDrawer },
  { file: 'labels-manager-desktop-light', ...DESKTOP, scheme: 'light', show: labelsManager },
  { file: 'labels-manager-desktop-dark', ...DESKTOP, scheme: 'dark', show: labelsManager },
  { file: 'labels-manager-phone-light', ...PHONE, scheme: 'light', show: labelsManager },
  { file: 'labels-manager-phone-dark', ...PHONE, scheme: 'dark', show: labelsManager },
  { file: 'label-filter-desktop-light', ...DESKTOP, scheme: 'light', show: labelHome },
  { file: 'label-filter-phone-dark', ...PHONE, scheme: 'dark', show: labelHome },
  { file: 'reminder-desktop-light', ...DESKTOP, scheme: 'light', show: reminderDialog },
  { file: 'reminder-desktop-dark', ...DESKTOP, scheme: 'dark', show: reminderDialog },
  { file: 'reminder-phone-light', ...PHONE, scheme: 'light', show: reminderDialog },
  { file: 'reminder-phone-dark', ...PHONE, scheme: 'dark', show: reminderDialog },
  { file: 'reminders-desktop-light', ...DESKTOP, scheme: 'light', show: reminders },
  { file: 'reminders-desktop-dark', ...DESKTOP, scheme: 'dark', show: reminders },
  { file: 'reminders-phone-light', ...PHONE, scheme: 'light', show: reminders },
  { file: 'reminders-phone-dark', ...PHONE, scheme: 'dark', show: reminders },
];

const RECIPE = `Grandma's lentil soup (serves 6)
2 tbsp olive oil
1 large onion, diced
2 carrots, diced
2 celery sticks, diced
3 cloves garlic, crushed
1 tsp ground cumin
1 tsp smoked paprika
300 g red lentils, rinsed
1 tin chopped tomatoes
1.5 l vegetable stock
Juice of half a lemon

Soften the onion, carrot and celery in the oil for ten minutes. Add the garlic and spices for a minute, then the lentils, tomatoes and stock. Simmer for 25 minutes, until the lentils fall apart. Blend half, stir back in, season, and finish with the lemon. Better the next day.`;

/** The person's labels: the notes name them by id. */
const LABELS = [
  { id: 'label-home', name: 'Home', color: 'green' },
  { id: 'label-travel', name: 'Travel', color: 'blue' },
  { id: 'label-work', name: 'Work', color: 'none' },
  { id: 'label-recipes', name: 'Recipes', color: 'pink' },
  { id: 'label-errands', name: 'Errands', color: 'none' },
];

/** Notes a person might really have, newest first: pinned ones, a few colors, a done to-do. */
const NOTES: { text: string; color: string; pinned?: boolean; done?: boolean; trashed?: boolean; archived?: boolean; items?: [string, boolean][]; labels?: string[]; remind?: { inDays: number; time: string; repeat?: Repeat } }[] = [
  {
    text: 'Groceries',
    color: 'green',
    pinned: true,
    labels: ['label-home', 'label-errands'],
    items: [
      ['Oat milk', false],
      ['Eggs', true],
      ['Sourdough', false],
      ['Spinach', false],
      ['Coffee beans', true],
      ['Lemons', false],
    ],
  },
  {
    text: 'Packing list for Lisbon',
    color: 'blue',
    pinned: true,
    labels: ['label-travel'],
    items: [
      ['Passport', true],
      ['Charger and adapter', false],
      ['Sunglasses', false],
      ['Rain jacket (just in case)', false],
      ['Books for the flight', false],
    ],
  },
  {
    text: 'Team sync, Thursday\n- Launch moved to the 14th\n- Ana takes the onboarding copy\n- Ask finance about the new laptops',
    color: 'yellow',
    labels: ['label-work'],
    remind: { inDays: 5, time: '09:30', repeat: { every: 'weekdays', days: [4] } },
  },
  { text: RECIPE, color: 'pink', labels: ['label-recipes', 'label-home'] },
  { text: 'Call the plumber about the kitchen tap', color: 'yellow', done: true, labels: ['label-home', 'label-errands'] },
  { text: 'Birthday present for Sam: the blue scarf from the market', color: 'purple' },
  { text: 'Wi-Fi at the cabin: pinecone-47', color: 'gray' },
  { text: 'Bike repair\nBooked at https://example.com/bikes/booking?day=sat, questions to mailto:shop@example.com', color: 'purple', labels: ['label-errands'] },
  {
    text: 'Renew the car insurance before the 14th\nCompare two quotes first',
    color: 'yellow',
    labels: ['label-home', 'label-errands', 'label-work', 'label-travel'],
    remind: { inDays: 1, time: '08:00' },
  },
  { text: 'Books to read\nThe Left Hand of Darkness\nBraiding Sweetgrass\nPiranesi', color: 'green' },
  { text: 'Water the balcony plants on Sunday', color: 'blue', done: true, remind: { inDays: 2, time: '18:00', repeat: { every: 'week' } } },
  { text: 'Lisbon trip ideas\nhttps://example.com/lisbon/azulejo-museum\nTram 28 early, before the crowds\nPastéis in Belém', color: 'blue', archived: true, labels: ['label-travel'] },
  { text: 'Tax return 2025: filed, receipt in the blue folder', color: 'gray', archived: true, done: true },
  { text: 'Housewarming\nThank-you cards sent to everyone', color: 'pink', archived: true },
  { text: 'Old phone charger: give to the recycling point', color: 'gray', trashed: true },
  { text: 'Dentist moved to next week', color: 'yellow', trashed: true },
];

/** A reminder `inDays` days from `now` at `time`, wall clock in this machine's zone (the browser's too). */
function reminderIn(now: number, { inDays, time, repeat }: { inDays: number; time: string; repeat?: Repeat }) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const day = utcToZoned(now + inDays * 86_400_000, zone).slice(0, 10);
  return { at: `${day}T${time}`, zone, ...(repeat ? { repeat } : {}) };
}

function believableBackup(now = Date.now()): string {
  const notes = NOTES.map((note, i) => ({
    id: `shot-${i}`,
    text: note.text,
    color: note.color,
    pinned: note.pinned ?? false,
    done: note.done ?? false,
    trashed: note.trashed ?? false,
    archived: note.archived ?? false,
    ...(note.labels ? { labels: note.labels } : {}),
    ...(note.items ? { items: note.items.map(([text, done], n) => ({ id: `shot-${i}-item-${n}`, text, done })) } : {}),
    ...(note.remind ? { reminder: reminderIn(now, note.remind) } : {}),
    createdAt: now - (i + 1) * 3_600_000,
    updatedAt: now - (i + 1) * 3_600_000,
  }));
  return JSON.stringify({ format: 'roaming-notes-backup', version: 1, exportedAt: new Date(now).toISOString(), labels: LABELS, notes });
}

async function build(): Promise<void> {
  if (process.env.SCREENSHOTS_SKIP_BUILD === '1' && existsSync(join(BUILD_DIR, 'index.html'))) return;
  await new Promise<void>((resolve, reject) => {
    const vite = join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
    // vitest sets NODE_ENV=test, which would make this a development build.
    const child = spawn(process.execPath, [vite, 'build', '--mode', 'production', '--outDir', BUILD_DIR, '--emptyOutDir'], {
      cwd: REPO,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

/** Serves the build as Hosting would: files as they are, other paths get the app's shell. */
async function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname));
    let file = join(BUILD_DIR, path);
    if (!file.startsWith(BUILD_DIR + sep) && file !== BUILD_DIR) return void response.writeHead(404).end();
    void (async () => {
      if (!(await stat(file).catch(() => undefined))?.isFile()) file = join(BUILD_DIR, 'index.html');
      response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(await readFile(file));
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  await build();
  server = await serve();
  browser = await launchChromium();
  await mkdir(OUT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('writes every picture in SHOTS to docs/screenshots/', async () => {
  for (const shot of SHOTS) {
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: shot.width, height: shot.height },
      ...(shot.phone ? { hasTouch: true, isMobile: true } : {}),
      colorScheme: shot.scheme,
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await openApp(page);
    await importBackup(page, believableBackup(), 'Groceries');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot.show(page);
    await settle(page);
    const path = join(OUT_DIR, `${shot.file}.png`);
    await page.screenshot({ path });
    console.log(`wrote docs/screenshots/${shot.file}.png`);
    await context.close();
  }
});
