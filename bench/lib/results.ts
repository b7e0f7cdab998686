/**
 * What every benchmark returns, the statistics it uses, and the machine it ran on. Figures are in
 * the unit named by their key (…Ms, …Kb, …PerSecond, …Score); each result carries its baseline,
 * measured in the same run on the same machine, and its target.
 */
import { execFileSync } from 'node:child_process';
import { cpus, platform, release, totalmem } from 'node:os';
import { REPO } from './builds.js';

export type Figures = Record<string, number>;

export interface BenchResult {
  id: string;
  title: string;
  /** 'not-available' when the thing measured does not exist yet; figures are then empty. */
  status: 'ok' | 'not-available';
  /** Why it is not available, or anything else a reader must know about this run. */
  note?: string;
  figures: Figures;
  baseline: { what: string; figures: Figures };
  target: { text: string; met: boolean | undefined; margin?: string };
  /** Samples and other facts behind the figures (sizes, runs, per-chunk bytes). */
  details: Record<string, unknown>;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest-rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** p50, p95, min and max of samples, rounded to 0.1. */
export function spread(values: number[], prefix = ''): Figures {
  return {
    [`${prefix}p50Ms`]: round(percentile(values, 50)),
    [`${prefix}p95Ms`]: round(percentile(values, 95)),
    [`${prefix}minMs`]: round(Math.min(...values)),
    [`${prefix}maxMs`]: round(Math.max(...values)),
  };
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  chromium: string;
  date: string;
  commit: string;
}

export function machine(chromium: string): Machine {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  // The previous run's own output files do not make the measured code differ from the commit.
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results.json', ':!bench/RESULTS.md') !== '';
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.versions.node,
    chromium,
    date: new Date().toISOString(),
    commit: `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ' (with uncommitted changes)' : ''}`,
  };
}

/** True when every figure is a finite, non-negative number (what the smoke test checks). */
export function wellFormed(figures: Figures): boolean {
  return Object.values(figures).every((value) => typeof value === 'number' && Number.isFinite(value) && value >= 0);
}
