/**
 * Keeps the benchmarks from rotting: each one runs on tiny inputs and must produce well-formed
 * numbers (finite, not negative) with a baseline and a target. Nothing here is about speed.
 * Runs in `npm test` as project bench-smoke, inside the emulator launcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCHMARKS } from './benchmarks/index.js';
import { openBenchContext, type BenchContext } from './lib/context.js';
import { renderMarkdown } from './lib/report.js';
import { machine, wellFormed, type BenchResult } from './lib/results.js';

let context: BenchContext;
const results: BenchResult[] = [];

beforeAll(async () => {
  context = await openBenchContext('smoke');
});
afterAll(async () => {
  await context?.close();
});

describe('benchmarks, small', () => {
  for (const benchmark of BENCHMARKS) {
    it(`${benchmark.id} runs and reports well-formed figures next to a baseline`, async () => {
      const result = await benchmark.run(context);
      results.push(result);
      expect(result.id).toBe(benchmark.id);
      expect(result.target.text).not.toBe('');
      if (result.status === 'not-available') {
        // Allowed only for what does not exist yet (the push function), and it must say so.
        expect(result.note).toMatch(/^not available yet/);
        return;
      }
      expect(Object.keys(result.figures).length).toBeGreaterThan(0);
      expect(Object.keys(result.baseline.figures).length).toBeGreaterThan(0);
      expect(wellFormed(result.figures), JSON.stringify(result.figures)).toBe(true);
      expect(wellFormed(result.baseline.figures), JSON.stringify(result.baseline.figures)).toBe(true);
      expect(typeof result.target.met).toBe('boolean');
    });
  }

  it('renders a report of what ran', () => {
    const markdown = renderMarkdown({ machine: machine(context.browser.version()), scale: 'smoke', results });
    expect(markdown).toContain('# Benchmark results');
    for (const result of results) expect(markdown).toContain(result.title);
  });
});
