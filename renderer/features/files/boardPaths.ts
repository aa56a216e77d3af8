/** Checks paths typed into a dialog (on the board, or in the project folder); each returns what is wrong, or null. */

/** A board path: absolute, ending in a file name. */
export function validBoardPath(value: string): string | null {
  if (!value.startsWith('/')) return 'A board path starts with /, e.g. /main.py.';
  if (value.endsWith('/')) return 'Add a file name after the last /.';
  if (value.includes('\0') || /\/\//.test(value)) return 'That is not a valid path.';
  return null;
}

/**
 * A path typed for a new board file or folder: absolute as it is, or relative
 * to the folder the panel shows as the target (`lib/util.py` in / is /lib/util.py).
 */
export function resolveTypedBoardPath(value: string, dir: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('/')) return trimmed;
  return `${dir.endsWith('/') ? dir : `${dir}/`}${trimmed}`;
}

/** Checks a path typed for the project folder on this computer (relative, `/`-separated); null when usable. */
export function validProjectPath(value: string): string | null {
  if (value.trim() === '') return 'Type a file name, e.g. main.py.';
  if (value.startsWith('/') || value.startsWith('\\') || /^[A-Za-z]:/.test(value)) return 'A path inside the project folder, e.g. main.py or lib/util.py.';
  if (value.endsWith('/')) return 'Add a file name after the last /.';
  if (value.includes('\0') || value.includes('\\') || value.split('/').some((part) => part === '' || part === '.' || part === '..')) return 'That is not a valid path inside the project folder.';
  return null;
}
