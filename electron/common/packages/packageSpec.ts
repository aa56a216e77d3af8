/**
 * What a person may ask `mip` for, read the way MicroPython's `mip` reads it
 * (docs: reference/packages.rst):
 *  - an index name, optionally `@version`: `umqtt.simple`, `aioble@0.4.1`;
 *  - `github:org/repo[/path][@ref]` and `gitlab:org/repo[/path][@ref]`;
 *  - an `http(s)://` URL.
 * A URL or repository path ending in `.py` or `.mpy` is one file; anything
 * else names a package.json (added when the path does not end in `.json`).
 */
import { PackageError } from './PackageError.js';

/** micropython-lib's index, as `mip` uses it by default. */
export const DEFAULT_PACKAGE_INDEX = 'https://micropython.org/pi/v2';

export type PackageSource =
  /** A name from the index. */
  | { kind: 'index'; name: string; version: string | undefined }
  /** A package.json by URL (github:/gitlab: already rewritten). */
  | { kind: 'package-json'; url: string; name: string }
  /** One .py/.mpy file by URL. */
  | { kind: 'file'; url: string; name: string };

/** Index names are dotted Python-ish names with dashes (micropython-lib's `umqtt.simple`, `aiohttp`, `micropython-senml`). */
const INDEX_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const VERSION_RE = /^[A-Za-z0-9_.+-]+$/;

/**
 * A `github:`/`gitlab:` address as an https URL; `ref` is the branch or tag
 * (`mip`'s `version=`), HEAD (the default branch) when not given.
 */
export function rewriteRepoUrl(address: string, ref?: string): string {
  const match = /^(github|gitlab):([^/]+)\/([^/]+)(\/.*)?$/.exec(address);
  if (!match) return address;
  const [, host, org, repo, rest = ''] = match;
  const branch = ref ?? 'HEAD';
  const tail = rest.replace(/^\//, '');
  return host === 'github' ? `https://raw.githubusercontent.com/${org}/${repo}/${branch}/${tail}` : `https://gitlab.com/${org}/${repo}/-/raw/${branch}/${tail}`;
}

function isFileUrl(path: string): boolean {
  return path.endsWith('.py') || path.endsWith('.mpy');
}

/** The last path segment, without a query string. */
function lastSegment(url: string): string {
  return url.split(/[?#]/, 1)[0]!.replace(/\/+$/, '').split('/').pop() ?? url;
}

export function parsePackageSpec(spec: string): PackageSource {
  const text = spec.trim();
  if (text === '') throw new PackageError('BAD_SPEC', 'A package name is empty.');
  if (/^(github|gitlab):/.test(text)) {
    // The ref follows the last '@' (a repository path has none).
    const at = text.lastIndexOf('@');
    const address = at === -1 ? text : text.slice(0, at);
    const ref = at === -1 ? undefined : text.slice(at + 1);
    if (ref !== undefined && !VERSION_RE.test(ref)) throw new PackageError('BAD_SPEC', `"${ref}" is not a branch or tag name (in "${spec}").`);
    if (!/^(github|gitlab):[^/\s]+\/[^/\s]+(\/\S*)?$/.test(address)) throw new PackageError('BAD_SPEC', `"${spec}" is not github:ORG/REPO[/PATH][@REF] (or gitlab:).`);
    const rest = address.replace(/\/+$/, '');
    if (isFileUrl(rest)) return { kind: 'file', url: rewriteRepoUrl(rest, ref), name: text };
    const json = rest.endsWith('.json') ? rest : `${rest}/package.json`;
    return { kind: 'package-json', url: rewriteRepoUrl(json, ref), name: text };
  }
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new PackageError('BAD_SPEC', `"${spec}" is not a valid URL.`);
    }
    const href = url.href;
    if (isFileUrl(url.pathname)) return { kind: 'file', url: href, name: text };
    if (url.pathname.endsWith('.json')) return { kind: 'package-json', url: href, name: text };
    return { kind: 'package-json', url: href.replace(/\/?$/, '/package.json'), name: text };
  }
  if (/^[a-z]+:/i.test(text)) throw new PackageError('BAD_SPEC', `"${spec}": only http(s)://, github: and gitlab: addresses, or names from the index, can be installed.`);
  const at = text.indexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const version = at === -1 ? undefined : text.slice(at + 1);
  if (!INDEX_NAME_RE.test(name)) throw new PackageError('BAD_SPEC', `"${name}" is not a package name (letters, digits, "_", "." and "-").`);
  if (version !== undefined && !VERSION_RE.test(version)) throw new PackageError('BAD_SPEC', `"${version}" is not a version (in "${spec}").`);
  return { kind: 'index', name, version };
}

/** Where a file goes on the board, under the target folder: relative, no "..", no backslashes. */
export function checkDestination(dest: string, where: string): string {
  const parts = dest.split('/');
  if (dest === '' || dest.startsWith('/') || dest.includes('\\') || dest.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new PackageError('BAD_PACKAGE', `${where} names a file at "${dest}", outside the package's folder; it was not installed.`);
  }
  return dest;
}

export { lastSegment };
