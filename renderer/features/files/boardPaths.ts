/** Checks a board path typed into a dialog; returns what is wrong with it, or null. */
export function validBoardPath(value: string): string | null {
  if (!value.startsWith('/')) return 'A board path starts with /, e.g. /main.py.';
  if (value.endsWith('/')) return 'Add a file name after the last /.';
  if (value.includes('\0') || /\/\//.test(value)) return 'That is not a valid path.';
  return null;
}
