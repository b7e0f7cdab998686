/**
 * What a person does in the app, for browser tests and benchmarks: add notes, find a card, and
 * sign in through the Auth emulator's identity-provider page (a new account, or one that exists
 * already).
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { EMULATOR_PROJECT_ID, emulatorUrl } from './emulator-suite.mjs';

export const AUTH_EMULATOR = emulatorUrl('auth');
export const PROJECT_ID = EMULATOR_PROJECT_ID;

export interface Person {
  email: string;
  name: string;
}

export const uniqueEmail = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;

export function card(page: Page, text: string): Locator {
  return page.locator('note-card', { hasText: text });
}

export async function addNote(page: Page, text: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'New note' });
  await field.fill(text);
  await field.press('Enter');
  await expect.poll(() => field.inputValue()).toBe('');
  await card(page, text).first().waitFor();
}

/** Completes the emulator's sign-in page in the popup: a new account, or the person's existing one. */
export async function completeProviderPopup(popup: Page, person: Person, options: { existing?: boolean } = {}) {
  await popup.waitForLoadState();
  if (options.existing) {
    await popup.locator('.js-reuse-account', { hasText: person.email }).click();
  } else {
    await popup.locator('#add-account-button').click();
    await popup.locator('#email-input').fill(person.email);
    await popup.locator('#display-name-input').fill(person.name);
    await popup.locator('#sign-in').click();
  }
  await popup.waitForEvent('close');
}

export async function signIn(page: Page, provider: string, person: Person, options: { existing?: boolean } = {}) {
  await page.getByRole('button', { name: 'Sign in' }).click();
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: `Continue with ${provider}` }).click(),
  ]);
  await completeProviderPopup(popup, person, options);
  await page.getByRole('button', { name: `Account: ${person.name}` }).waitFor();
}

/** Fails loudly, not vacuously, when the emulators are not running. */
export async function requireAuthEmulator(): Promise<void> {
  const response = await fetch(`${AUTH_EMULATOR}/emulator/v1/projects/${PROJECT_ID}/config`).catch((error: unknown) => {
    throw new Error(`The Auth emulator is not reachable at ${AUTH_EMULATOR}: run the tests through npm test. (${String(error)})`);
  });
  if (!response.ok) throw new Error(`The Auth emulator answered ${response.status}`);
}
