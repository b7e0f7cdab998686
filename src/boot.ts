/**
 * The first module the entry runs, before the app shell's modules are evaluated: it only begins
 * the reads a start needs, so they are under way while the rest of the bundle runs
 * (src/platform/start-reads.ts).
 */
import { beginStartReads } from './platform/start-reads.js';

beginStartReads();
