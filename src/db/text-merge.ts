/**
 * The three-way merge of a note's text, for when this device's unsent edit meets another
 * device's edit made from the same text (merge.ts decides when). Both edits are taken against
 * their common base, word by word, so the words typed on each device all end up in the note:
 * - edits of different words both apply;
 * - words inserted at one place on both devices are both kept, this device's first;
 * - words one device changed and the other deleted keep the change (typing is never undone by a
 *   deletion elsewhere);
 * - the same words changed differently on both keep both versions, visibly: "ours [or: theirs]",
 *   so the person sees there was a choice and makes it, instead of one being chosen silently.
 * Only the device holding the unsent edit merges; it sends the result stamped as a new edit, so
 * every other device simply takes it (merge.ts).
 *
 * The diffs are Myers' (diff-match-patch) over word tokens, each token coded as one character.
 */
import { DIFF_DELETE, DIFF_EQUAL, diffMain } from 'diff-match-patch-es';

/** How both versions of words changed differently on two devices are shown. */
export function bothVersions(ours: string, theirs: string): string {
  return `${ours} [or: ${theirs}]`;
}

/**
 * A diff that has not finished by then settles for a longer, still correct one: only texts
 * rewritten almost whole on both devices take that long, and the sync transaction waits on it.
 */
const DIFF_SECONDS = 0.25;

/** Words and the runs of space between them, as separate tokens: an edit of one word leaves its neighbours' spaces alone. */
function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/** One character per distinct token, so the character diff is a token diff. */
class TokenCode {
  private readonly codes = new Map<string, string>();
  private readonly list: string[] = [];

  encode(words: readonly string[]): string {
    let coded = '';
    for (const word of words) {
      let code = this.codes.get(word);
      if (code === undefined) {
        code = String.fromCharCode(this.list.length);
        this.codes.set(word, code);
        this.list.push(word);
      }
      coded += code;
    }
    return coded;
  }

  decode(coded: string): string[] {
    return Array.from(coded, (code) => this.list[code.charCodeAt(0)]!);
  }
}

/** One side's change: base tokens [start, end) replaced by `insert` (coded). Start equal to end is an insertion. */
interface Hunk {
  start: number;
  end: number;
  insert: string;
  ours: boolean;
}

function hunksOf(base: string, edited: string, ours: boolean): Hunk[] {
  const hunks: Hunk[] = [];
  let at = 0;
  let open: Hunk | undefined;
  for (const [operation, text] of diffMain(base, edited, { diffTimeout: DIFF_SECONDS }, false)) {
    if (operation === DIFF_EQUAL) {
      at += text.length;
      open = undefined;
      continue;
    }
    if (!open) hunks.push((open = { start: at, end: at, insert: '', ours }));
    if (operation === DIFF_DELETE) open.end = at += text.length;
    else open.insert += text;
  }
  return hunks;
}

/**
 * Whether two changes touch the same base tokens. An insertion at the edge of another change is
 * not a conflict: it goes before or after it.
 */
function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  const [aEmpty, bEmpty] = [a.start === a.end, b.start === b.end];
  if (aEmpty && bEmpty) return a.start === b.start;
  if (aEmpty) return b.start < a.start && a.start < b.end;
  if (bEmpty) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** Base tokens [start, end) as one side left them: its hunks in that range applied. */
function sideVersion(base: string, start: number, end: number, hunks: Hunk[]): string {
  let text = '';
  let at = start;
  for (const hunk of hunks) {
    text += base.slice(at, hunk.start) + hunk.insert;
    at = hunk.end;
  }
  return text + base.slice(at, end);
}

/**
 * Where both sides changed the same part of the base, what the merge keeps: the base part and
 * each side's version of it (both different from the base and from each other).
 */
export type ResolveConflict = (base: string[], ours: string[], theirs: string[]) => string[];

/**
 * The three-way merge of two edits of a sequence (words of a text, ids of a list): changes of
 * different parts both apply, and `resolve` says what becomes of a part both changed. The same
 * three sequences always give the same result (short of a diff cut off by DIFF_SECONDS).
 */
export function mergeSequences(base: readonly string[], ours: readonly string[], theirs: readonly string[], resolve: ResolveConflict): string[] {
  const code = new TokenCode();
  const [o, a, b] = [code.encode(base), code.encode(ours), code.encode(theirs)];
  if (a === b || b === o) return [...ours];
  if (a === o) return [...theirs];
  const hunks = [...hunksOf(o, a, true), ...hunksOf(o, b, false)].sort((x, y) => x.start - y.start || x.end - y.end || Number(y.ours) - Number(x.ours));
  let merged = '';
  let at = 0;
  for (let i = 0; i < hunks.length; ) {
    // A group: changes that touch each other's base tokens, from one side or both.
    const group = [hunks[i]!];
    const range = { start: hunks[i]!.start, end: hunks[i]!.end };
    for (i++; i < hunks.length && overlaps(range, hunks[i]!); i++) {
      group.push(hunks[i]!);
      range.end = Math.max(range.end, hunks[i]!.end);
    }
    const was = o.slice(range.start, range.end);
    const mine = sideVersion(o, range.start, range.end, group.filter((hunk) => hunk.ours));
    const other = sideVersion(o, range.start, range.end, group.filter((hunk) => !hunk.ours));
    merged += o.slice(at, range.start);
    if (mine === other || other === was) merged += mine;
    else if (mine === was) merged += other;
    else merged += code.encode(resolve(code.decode(was), code.decode(mine), code.decode(other)));
    at = range.end;
  }
  return code.decode(merged + o.slice(at));
}

/** What the text merge keeps where both devices changed the same words (see the top of this file). */
const resolveWords: ResolveConflict = (base, ours, theirs) => {
  const [was, mine, other] = [base.join(''), ours.join(''), theirs.join('')];
  // Words changed on one side and deleted on the other: the change is what someone typed.
  if (mine.trim() === '') return theirs;
  if (other.trim() === '') return ours;
  // Words added at one place on both sides are both kept, ours first.
  if (was.trim() === '') return [...ours, ...(/\s$/.test(mine) || /^\s/.test(other) ? [] : [' ']), ...theirs];
  const lead = /^\s*/.exec(mine)![0];
  const trail = /\s*$/.exec(mine)![0];
  return [lead, bothVersions(mine.trim(), other.trim()), trail];
};

/**
 * Merges `ours` (this device's edit) and `theirs` (another device's) made from `base`. The same
 * three texts always give the same result (short of a diff cut off by DIFF_SECONDS).
 */
export function mergeTexts(base: string, ours: string, theirs: string): string {
  if (ours === theirs || theirs === base) return ours;
  if (ours === base) return theirs;
  return mergeSequences(tokens(base), tokens(ours), tokens(theirs), resolveWords).join('');
}
