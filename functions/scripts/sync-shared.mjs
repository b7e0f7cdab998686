// Copies the app's shared modules (src/shared/*.ts at the repository root) into functions/src/shared/
// so the function validates notes with the very same schema, palette and limits as the app.
// Why a copy: `firebase deploy` uploads only the functions/ folder, so lib/ must not import from
// outside it. The copy is generated (git-ignored) and rewritten on every build; edit the original.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const functionsDir = dirname(dirname(fileURLToPath(import.meta.url)));
const from = join(functionsDir, '..', 'src', 'shared');
const to = join(functionsDir, 'src', 'shared');

if (!existsSync(from)) {
  process.stderr.write(`sync-shared: ${from} not found; build the functions from a full checkout.\n`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith('.ts') && !name.endsWith('.test.ts')) copyFileSync(join(from, name), join(to, name));
}
