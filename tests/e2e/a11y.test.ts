/**
 * axe-core on every view in UI_VIEWS (ui-views.ts), light and dark, on a phone and a desktop:
 * zero violations. axe is injected into the real page and walks its open shadow roots.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { useChromium } from './harness.js';
import { requireAuthEmulator } from './people.js';
import { COLOR_SCHEMES, SCREEN_SIZES, UI_VIEWS, UiDevice, settle, type Pointer } from './ui-views.js';

const browser = useChromium(requireAuthEmulator);
const devices = new Map<Pointer, Promise<UiDevice>>();
/** A phone and a desktop: axe's rules depend on the layout only through contrast and target size. */
const AXE_SIZES = [SCREEN_SIZES.find((s) => s.width === 390)!, SCREEN_SIZES.find((s) => s.width === 1280)!];
const seen = new Map<string, Set<string>>();

function deviceFor(pointer: Pointer): Promise<UiDevice> {
  let device = devices.get(pointer);
  if (!device) {
    device = UiDevice.open(browser(), inject('emulatorAppUrl'), pointer);
    devices.set(pointer, device);
  }
  return device;
}

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

async function runAxe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      // A target inside shadow roots is a list of selectors, one per root.
      nodes: v.nodes.map((n) => ({ target: n.target.map((t) => (Array.isArray(t) ? t.join(' » ') : String(t))).join(' » '), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim() })),
    }));
  });
}

function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    - ${n.target}\n      ${n.summary}`).join('\n')}`)
    .join('\n');
}

afterAll(async () => {
  if (seen.size > 0) console.log(`axe violations, grouped:\n${[...seen].map(([key, wheres]) => `${key}\n    seen in: ${[...wheres].join('; ')}`).join('\n')}`);
  for (const device of devices.values()) await (await device).close();
});

describe.each(UI_VIEWS)('axe: $name', (view) => {
  for (const size of AXE_SIZES) {
    for (const scheme of COLOR_SCHEMES) {
      it(`${size.width} px, ${size.pointer}, ${scheme}`, async () => {
        const device = await deviceFor(size.pointer);
        await device.become(view.who);
        await device.show(size, scheme);
        await view.open(device.page);
        await settle(device.page);
        const violations = await runAxe(device.page);
        await view.close(device.page);
        for (const v of violations) {
          for (const n of v.nodes) {
            const key = `${v.id} (${v.impact}): ${n.target}`;
            seen.set(key, (seen.get(key) ?? new Set()).add(`${view.name} ${size.width} ${scheme}`));
          }
        }
        expect(violations, `${view.name} at ${size.width} px (${scheme}):\n${formatViolations(violations)}`).toEqual([]);
      });
    }
  }
});
