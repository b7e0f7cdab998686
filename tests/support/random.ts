/** The seeded generator lives with the support code the benchmarks share (testing/random.ts). */
export { Random } from '../../testing/random.js';
