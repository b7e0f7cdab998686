// Copies the app's shared modules (src/shared/*.ts at the repository root) into functions/src/shared/
// so the function validates notes with the very same schema, palette and limits as the app.
// Why a copy: `firebase deploy` uploads only the functions/ folder, so lib/ must not import from
// outside it. The copy is generated (git-ignored) and rewritten on every build; edit the original.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
// Files are written only when they differ, and only stale ones removed: the functions emulator
// watches this folder, and a run of the tests while it is up must not make it reload.
mkdirSync(to, { recursive: true });
const wanted = readdirSync(from).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
for (const name of readdirSync(to)) {
  if (!wanted.includes(name)) rmSync(join(to, name), { recursive: true, force: true });
}
for (const name of wanted) {
  const content = readFileSync(join(from, name), 'utf8');
  const target = join(to, name);
  if (!existsSync(target) || readFileSync(target, 'utf8') !== content) writeFileSync(target, content);
}
