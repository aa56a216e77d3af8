/**
 * Finding `File "main.py", line 12` in terminal lines, so a traceback can be
 * clicked to open the file at that line.
 */

export interface TracebackLink {
  /** 0-based index of the first character of `File "..."` in the line. */
  start: number;
  /** 0-based index just past `line N`. */
  end: number;
  file: string;
  line: number;
}

const TRACEBACK_FILE = /File "([^"]+)", line (\d+)/g;

export function findTracebackLinks(text: string): TracebackLink[] {
  const links: TracebackLink[] = [];
  for (const match of text.matchAll(TRACEBACK_FILE)) {
    const line = Number(match[2]);
    if (!Number.isSafeInteger(line) || line < 1) continue;
    links.push({ start: match.index, end: match.index + match[0].length, file: match[1]!, line });
  }
  return links;
}

/** A traceback's file name as a board path: MicroPython names files relative to the working folder, "/" at boot. */
export function boardPathOf(file: string): string | null {
  if (file.startsWith('<')) return null; // <stdin>, <string>: code sent from the editor, not a file
  return file.startsWith('/') ? file : `/${file}`;
}
