/**
 * Works out what installing some packages means, as `mip` would on the
 * board, but on the host: which package.json files to read (index names by
 * `{index}/package/{mpy}/{name}/{version}.json`, URLs and github:/gitlab:
 * addresses as given), which files to fetch (`hashes` from the index's
 * `{index}/file/{hash[:2]}/{hash}`, `urls` as given), and the dependencies,
 * each once. Nothing is fetched here: `fetchJson` is the caller's (the app's
 * cache and timeouts in Node, a table in unit tests).
 */
import { z } from 'zod';
import { PackageError } from './PackageError.js';
import { checkDestination, lastSegment, parsePackageSpec, rewriteRepoUrl, type PackageSource } from './packageSpec.js';

/** One file to put on the board, under the target folder (`/lib`). */
export interface PlannedFile {
  dest: string;
  url: string;
  /** The package it belongs to (its name as asked for, or as a dependency named it). */
  packageName: string;
}

export interface PlannedPackage {
  name: string;
  version: string | undefined;
  /** Where its description came from (package.json URL), or the file's URL. */
  source: string;
  /** Compiled (.mpy for the board's version) or source (.py). */
  compiled: boolean;
  /** Names of the packages it depends on. */
  deps: string[];
}

export interface InstallPlan {
  packages: PlannedPackage[];
  files: PlannedFile[];
  /** Things the person should know (an index without compiled files for this board, say). */
  notes: string[];
}

export interface PlanOptions {
  /** The index's base URL, without a trailing slash. */
  index: string;
  /** The board's .mpy version ("6"), or undefined: source files only. */
  mpyVersion: string | undefined;
  /** A JSON document; undefined when the server says it does not exist (404). */
  fetchJson(url: string): Promise<unknown>;
}

const Hash = z.string().regex(/^[0-9A-Za-z]{4,128}$/, 'a file hash of letters and digits');
/** mip's package.json: files by content hash (the index), files by URL (everyone else), dependencies, a version. */
const PackageJson = z.object({
  hashes: z.array(z.tuple([z.string(), Hash])).optional(),
  urls: z.array(z.tuple([z.string(), z.string()])).optional(),
  deps: z.array(z.union([z.tuple([z.string(), z.string()]), z.tuple([z.string()])])).optional(),
  version: z.string().optional(),
});

/** A package bomb (or a loop this misses) stops here rather than filling the board. */
const MAX_PACKAGES = 100;
const MAX_FILES = 1000;

export async function planInstall(specs: readonly string[], options: PlanOptions): Promise<InstallPlan> {
  const index = options.index.replace(/\/+$/, '');
  const plan: InstallPlan = { packages: [], files: [], notes: [] };
  const seen = new Set<string>();
  const destinations = new Map<string, string>();

  const addFile = (file: PlannedFile) => {
    const owner = destinations.get(file.dest);
    if (owner !== undefined && owner !== file.packageName) {
      throw new PackageError('BAD_PACKAGE', `"${file.packageName}" and "${owner}" both install ${file.dest}; install them one at a time to choose.`);
    }
    destinations.set(file.dest, file.packageName);
    if (owner === undefined) plan.files.push(file);
    if (plan.files.length > MAX_FILES) throw new PackageError('BAD_PACKAGE', `These packages name more than ${MAX_FILES} files; nothing was installed.`);
  };

  const readPackageJson = async (url: string, what: string): Promise<z.infer<typeof PackageJson> | undefined> => {
    const json = await options.fetchJson(url);
    if (json === undefined) return undefined;
    const parsed = PackageJson.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PackageError('BAD_PACKAGE', `${what}'s package.json (${url}) is not in mip's format: ${issue ? `${issue.path.join('.') || 'the document'}: ${issue.message}` : 'unreadable'}.`);
    }
    return parsed.data;
  };

  const install = async (source: PackageSource, requestedBy: string | undefined): Promise<string> => {
    const key = source.kind === 'index' ? `index:${source.name}` : source.url;
    const displayName = source.name;
    if (seen.has(key)) return displayName;
    seen.add(key);
    if (seen.size > MAX_PACKAGES) throw new PackageError('BAD_PACKAGE', `More than ${MAX_PACKAGES} packages would be installed; nothing was installed.`);
    const neededBy = requestedBy ? ` (needed by ${requestedBy})` : '';

    if (source.kind === 'file') {
      const dest = checkDestination(lastSegment(source.url), source.url);
      plan.packages.push({ name: displayName, version: undefined, source: source.url, compiled: dest.endsWith('.mpy'), deps: [] });
      addFile({ dest, url: source.url, packageName: displayName });
      return displayName;
    }

    let url: string;
    let json: z.infer<typeof PackageJson> | undefined;
    let compiled = false;
    if (source.kind === 'index') {
      const version = source.version ?? 'latest';
      const at = (mpy: string) => `${index}/package/${mpy}/${source.name}/${version}.json`;
      if (options.mpyVersion !== undefined) {
        url = at(options.mpyVersion);
        json = await readPackageJson(url, source.name);
        compiled = json !== undefined;
      }
      if (json === undefined) {
        const compiledUrl = options.mpyVersion === undefined ? undefined : at(options.mpyVersion);
        url = at('py');
        json = await readPackageJson(url, source.name);
        if (json !== undefined && compiledUrl !== undefined) plan.notes.push(`${source.name}: the index has no files compiled for this board's .mpy version ${options.mpyVersion}; installing the source (.py) files.`);
      }
      if (json === undefined) {
        throw new PackageError(
          'NOT_FOUND',
          source.version === undefined ? `The package index (${index}) has no package named "${source.name}"${neededBy}.` : `The package index (${index}) has no version ${source.version} of "${source.name}"${neededBy}.`,
        );
      }
    } else {
      url = source.url;
      json = await readPackageJson(url, displayName);
      if (json === undefined) throw new PackageError('NOT_FOUND', `No package.json at ${url}${neededBy}.`);
    }

    const entry: PlannedPackage = { name: displayName, version: json.version, source: url!, compiled, deps: [] };
    plan.packages.push(entry);
    for (const [dest, hash] of json.hashes ?? []) {
      addFile({ dest: checkDestination(dest, `${displayName}'s package.json`), url: `${index}/file/${hash.slice(0, 2)}/${hash}`, packageName: displayName });
    }
    for (const [dest, fileUrl] of json.urls ?? []) {
      addFile({ dest: checkDestination(dest, `${displayName}'s package.json`), url: resolveFileUrl(fileUrl, url!, source), packageName: displayName });
    }
    for (const dep of json.deps ?? []) {
      const [depName, depVersion] = dep;
      let depSource = parsePackageSpec(depName);
      if (depSource.kind === 'index' && depVersion !== undefined && depVersion !== 'latest') depSource = { ...depSource, version: depVersion };
      else if (depSource.kind !== 'index' && depVersion !== undefined && depVersion !== 'latest' && /^(github|gitlab):/.test(depName)) {
        depSource = parsePackageSpec(`${depName}@${depVersion}`);
      }
      entry.deps.push(await install(depSource, displayName));
    }
    return displayName;
  };

  for (const spec of specs) await install(parsePackageSpec(spec), undefined);
  return plan;
}

/** A file URL in `urls`: github:/gitlab: rewritten (on the package's ref), relative ones against the package.json's address. */
function resolveFileUrl(fileUrl: string, packageUrl: string, source: PackageSource): string {
  if (/^(github|gitlab):/.test(fileUrl)) {
    const ref = source.kind !== 'index' && /^(github|gitlab):.*@([^@/]+)$/.exec(source.name)?.[2];
    return rewriteRepoUrl(fileUrl, ref || undefined);
  }
  if (/^https?:\/\//i.test(fileUrl)) return fileUrl;
  try {
    return new URL(fileUrl, packageUrl).href;
  } catch {
    throw new PackageError('BAD_PACKAGE', `"${fileUrl}" in ${packageUrl} is not a file address.`);
  }
}
