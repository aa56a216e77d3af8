/**
 * Which files of a folder on the computer go to the board: one rule for the
 * app's "Upload" and "Sync" and the CLI's `put` of a folder, so both send the
 * same files.
 */

/** Folders never walked at all: version control, dependencies, caches and virtual environments. */
export const NEVER_WALKED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.venv',
  'venv',
  '.mypy_cache',
  '.pytest_cache',
]);

/**
 * True for an entry that stays on the computer: anything in a never-walked
 * folder, and hidden files and folders (`.vscode/`, `.DS_Store`, `.env`,
 * which may hold secrets). `relPath` is `/`-separated, relative to the folder.
 */
export function staysOffBoard(relPath: string): boolean {
  return relPath.split('/').some((part) => part.startsWith('.') || NEVER_WALKED_DIRS.has(part));
}
