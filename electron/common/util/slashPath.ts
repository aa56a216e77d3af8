/**
 * `/`-separated paths as the board and the project tree write them, taken as
 * they are (no normalizing: see board/boardPath.ts for board paths typed by a
 * person). One set of helpers for the engine, the services and the renderer.
 */

/** The folder holding `path`: "/" for "/main.py", "" for "main.py" (a relative path at its root). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '';
  if (i === 0) return '/';
  return path.slice(0, i);
}

/** The last part of `path`, ignoring trailing slashes. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}

/** `name` inside `dir`; `dir` "" is the root of a relative tree. */
export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
