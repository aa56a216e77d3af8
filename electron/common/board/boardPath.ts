/**
 * Paths on the board (always `/`-separated, MicroPython VFS style) and the one
 * conversion that matters for safety: a board path to a local relative path
 * for downloads, which must never leave the folder the user chose.
 */
import { baseName, parentPath } from '../util/slashPath.js';
import { BoardError } from './BoardError.js';

/** Collapses `//`, `.` and `..` (never above the root) and drops a trailing `/`. Keeps a leading `/`. */
export function normalizeBoardPath(path: string): string {
  if (path.includes('\0')) throw new BoardError('INVALID', `A board path cannot contain a NUL character: ${JSON.stringify(path)}`);
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  const joined = parts.join('/');
  return absolute ? '/' + joined : joined;
}

export function joinBoardPath(dir: string, name: string): string {
  if (name.startsWith('/')) return normalizeBoardPath(name);
  if (dir === '' || dir === '.') return normalizeBoardPath(name);
  return normalizeBoardPath(dir.endsWith('/') ? dir + name : dir + '/' + name);
}

export function boardDirname(path: string): string {
  return parentPath(normalizeBoardPath(path));
}

export function boardBasename(path: string): string {
  const p = normalizeBoardPath(path);
  return p === '/' ? '' : baseName(p);
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

function sanitizeSegment(seg: string): string {
  let s = '';
  for (const ch of seg) {
    const cp = ch.codePointAt(0)!;
    // Control characters (NUL truncates paths in C APIs) and what Windows forbids in names.
    if (cp < 0x20 || cp === 0x7f || '<>:"|?*'.includes(ch)) s += '_';
    else s += ch;
  }
  // Windows silently strips trailing dots and spaces, which can turn "x." into "x" or ". ." into "".
  s = s.replace(/[. ]+$/, (m) => '_'.repeat(m.length));
  if (WINDOWS_RESERVED.test(s)) s = '_' + s;
  return s;
}

/**
 * A relative local path (with `/` separators) for a board path, which can never
 * escape the folder it is joined to: `..` cannot climb above the top, absolute
 * paths and drive letters become relative, backslashes count as separators,
 * NUL and control characters and names Windows reserves are neutralised.
 * Throws when nothing usable remains (e.g. `/` or `..`).
 */
export function safeLocalPath(remotePath: string): string {
  const parts: string[] = [];
  for (const raw of remotePath.split(/[\\/]+/)) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') {
      parts.pop();
      continue;
    }
    const seg = sanitizeSegment(raw);
    if (seg === '' || seg === '.' || seg === '..') continue;
    parts.push(seg);
  }
  if (parts.length === 0) {
    throw new BoardError('INVALID', `The board path ${JSON.stringify(remotePath)} does not name a file that can be saved locally.`);
  }
  return parts.join('/');
}

/**
 * The name a path has in the board's own filesystem. Boards without folders
 * (no os.mkdir: the flat filesystem of 1.9-era firmware such as the
 * micro:bit's) know files by bare names and fail on a leading `/`, so there
 * `/main.py` and `main.py` both become `main.py`, the root becomes '', and a
 * path inside a folder is refused with a message that says why.
 */
export function pathOnBoard(path: string, folders: boolean): string {
  const p = normalizeBoardPath(path);
  if (folders) return p;
  const name = p.replace(/^\//, '');
  if (name.includes('/')) {
    throw new BoardError('UNSUPPORTED', `This board has no folders, so it cannot hold ${p}. Use a name without folders, e.g. ${baseName(p)}.`);
  }
  return name;
}

/** A name the board printed, as the engine's callers see paths: `/`-rooted on every board. */
export function pathFromBoard(name: string, folders: boolean): string {
  return folders || name.startsWith('/') ? name : '/' + name;
}
