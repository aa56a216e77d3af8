/**
 * Shrinks Python source before it goes over the wire: blank lines and comment
 * lines go, and indentation becomes one space per block level. A board on a
 * 115200-baud line reads ~11 bytes per millisecond, and 1.9-era firmware fails
 * to compile commands much over 1.5 KB, so the snippets are written readable
 * and sent small.
 *
 * Limits, so that minifying never changes what the code means: only whole-line
 * comments are dropped (a `#` after code may sit inside a string), and the
 * source must not continue a statement over several lines (open brackets,
 * triple-quoted strings), since those lines' indentation is not block structure.
 */
import { BoardError } from '../BoardError.js';

/** One logical line: its block depth and its text without indentation. */
export interface PyLine {
  depth: number;
  text: string;
}

/** The lines of `source` with their block depth, comment and blank lines left out. */
export function layoutPy(source: string): PyLine[] {
  const lines: PyLine[] = [];
  // Indentation widths of the open blocks; the first code line sets the base, so a template may be indented as a whole.
  const open: number[] = [];
  for (const raw of source.split(/\r\n|\r|\n/)) {
    const line = raw.trimEnd();
    const text = line.trimStart();
    if (text === '' || text.startsWith('#')) continue;
    const margin = line.slice(0, line.length - text.length);
    if (margin.includes('\t')) throw new BoardError('INVALID', `Python snippet indented with a tab: "${text}". Use spaces.`);
    const width = margin.length;
    const top = open[open.length - 1];
    if (top === undefined || width > top) open.push(width);
    else {
      while (open.length > 1 && width < open[open.length - 1]!) open.pop();
      if (width !== open[open.length - 1]) throw new BoardError('INVALID', `Python snippet dedents to a column no block started at: "${text}".`);
    }
    lines.push({ depth: open.length - 1, text });
  }
  return lines;
}

/** `source` with one space per block level and without comment or blank lines. */
export function minifyPy(source: string): string {
  return layoutPy(source)
    .map((l) => ' '.repeat(l.depth) + l.text)
    .join('\n');
}
