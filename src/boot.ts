/**
 * The first script a page runs, before the app's module has loaded: it only begins the reads a
 * start needs, so they are under way while the app's bundle loads and runs
 * (src/platform/start-reads.ts). index.html loads it ahead of the app (scripts/early-start-reads.ts).
 */
import { beginStartReads } from './platform/start-reads.js';

beginStartReads();
