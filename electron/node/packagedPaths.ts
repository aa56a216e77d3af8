/**
 * Where files that Node itself must open live in a packaged desktop build.
 * electron-builder packs the app into resources/app.asar; worker threads'
 * entries, the forked flasher process and the interpreter's .wasm are opened
 * by Node's own loaders, which do not reliably look inside the archive (see
 * electron/electron#22446), so package.json's `asarUnpack` puts the
 * main-process code and node_modules beside it, in app.asar.unpacked. Paths
 * made from `import.meta.url` or `require.resolve` still point into
 * app.asar: every such path goes through `outsideAsar`, the one place that
 * knows. In a checkout (tests, the web host, the CLI) paths pass unchanged.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const IN_ASAR = /([\\/])app\.asar([\\/])/;

/**
 * The unpacked copy of a file inside app.asar; other paths unchanged. A file
 * in the archive with no unpacked copy is a packaging mistake, said plainly
 * (Node would fail later with a bare ENOENT or ENOTDIR).
 */
export function outsideAsar(file: string, exists: (path: string) => boolean = existsSync): string {
  if (!IN_ASAR.test(file)) return file;
  const unpacked = file.replace(IN_ASAR, '$1app.asar.unpacked$2');
  if (exists(unpacked)) return unpacked;
  throw new Error(`${file} is inside app.asar, where Node cannot open it, and has no unpacked copy: package.json's build.asarUnpack must include it.`);
}

/** outsideAsar for a file: URL (worker entries are URLs). */
export function outsideAsarUrl(url: URL, exists?: (path: string) => boolean): URL {
  if (url.protocol !== 'file:') return url;
  const file = fileURLToPath(url);
  const real = outsideAsar(file, exists);
  return real === file ? url : pathToFileURL(real);
}
