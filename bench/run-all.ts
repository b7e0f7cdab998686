/**
 * `npm run bench`: every benchmark at full size, each next to its baseline, then
 * bench/results.json and bench/RESULTS.md. BENCH_ONLY=id,id runs some of them (the files are
 * then not written, so a partial run never replaces a full one); BENCH_SCALE=smoke runs them small.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BENCHMARKS } from './benchmarks/index.js';
import { openBenchContext, type BenchContext, type Scale } from './lib/context.js';
import { renderMarkdown } from './lib/report.js';
import { machine, type BenchResult } from './lib/results.js';

const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const scale: Scale = process.env.BENCH_SCALE === 'smoke' ? 'smoke' : 'full';
let context: BenchContext;

beforeAll(async () => {
  context = await openBenchContext(scale);
});
afterAll(async () => {
  await context?.close();
});

it('runs every benchmark and writes bench/results.json and bench/RESULTS.md', async () => {
  const results: BenchResult[] = [];
  const failures: string[] = [];
  for (const benchmark of BENCHMARKS) {
    if (only && !only.includes(benchmark.id)) continue;
    const started = Date.now();
    try {
      const result = await benchmark.run(context);
      results.push(result);
      // A run of some benchmarks prints their details too (the traces a full run keeps in results.json).
      console.log(`${benchmark.id} (${Math.round((Date.now() - started) / 1000)} s)\n${JSON.stringify(only ? result : { ...result, details: undefined }, null, 2)}`);
    } catch (error) {
      failures.push(`${benchmark.id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      console.error(`${benchmark.id} failed`, error);
    }
  }
  const report = { machine: machine(context.browser.version()), scale, results };
  if (!only && scale === 'full' && failures.length === 0) {
    await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(new URL('./RESULTS.md', import.meta.url), renderMarkdown(report));
  } else {
    console.log(renderMarkdown(report));
  }
  expect(failures).toEqual([]);
});
