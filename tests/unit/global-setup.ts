/**
 * Unit tests also check function code (functions/src), which reads src/shared through a generated
 * copy (functions/scripts/sync-shared.mjs): refresh it first, so they never test a stale copy.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../functions/scripts/sync-shared.mjs', import.meta.url))], { stdio: 'inherit' });
}
