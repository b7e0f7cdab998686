/**
 * Layout at every size a person uses, light and dark, on every view in UI_VIEWS (ui-views.ts), with
 * a long title, a 3,000-character unbroken line and 40 notes: nothing cut off, outside the viewport
 * or its card, overlapping, or scrolling sideways, and 44-px targets on touch (layout-check.ts says
 * exactly what counts). Real Chromium, the emulator build, a guest first and then a signed-in account.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { useChromium } from './harness.js';
import { checkLayout, formatProblems, summarizeProblems, type LayoutProblem } from './layout-check.js';
import { requireAuthEmulator } from './people.js';
import { COLOR_SCHEMES, MIN_TOUCH_TARGET_PX, SCREEN_SIZES, UI_VIEWS, UiDevice, settle, type Pointer } from './ui-views.js';

const browser = useChromium(requireAuthEmulator);
const devices = new Map<Pointer, Promise<UiDevice>>();
const seen: { where: string; problem: LayoutProblem }[] = [];

/** One device per pointer kind, opened when first needed and kept for every view and size. */
function deviceFor(pointer: Pointer): Promise<UiDevice> {
  let device = devices.get(pointer);
  if (!device) {
    device = UiDevice.open(browser(), inject('emulatorAppUrl'), pointer);
    devices.set(pointer, device);
  }
  return device;
}

afterAll(async () => {
  // Every problem of the run once, with where it showed: the work list, without repeats.
  if (seen.length > 0) console.log(`Layout problems, grouped:\n${summarizeProblems(seen)}`);
  for (const device of devices.values()) await (await device).close();
});

describe.each(UI_VIEWS)('layout: $name', (view) => {
  for (const size of SCREEN_SIZES.filter((each) => !view.widths || view.widths.includes(each.width))) {
    for (const scheme of COLOR_SCHEMES) {
      it(`${size.width} px, ${size.pointer}, ${scheme}`, async () => {
        const device = await deviceFor(size.pointer);
        await device.become(view.who);
        await device.show(size, scheme);
        await view.open(device.page);
        await settle(device.page);
        const problems = await checkLayout(device.page, {
          cardSelector: 'note-card',
          minTargetPx: size.pointer === 'touch' ? MIN_TOUCH_TARGET_PX : 0,
        });
        await view.close(device.page);
        for (const problem of problems) seen.push({ where: `${view.name} ${size.width} ${scheme}`, problem });
        expect(problems, `${view.name} at ${size.width}x${size.height} (${size.pointer}, ${scheme}):\n${formatProblems(problems)}`).toEqual([]);
      });
    }
  }
});
