/**
 * `pinwheel mip install NAME...`: installs packages to the board's /lib the
 * way MicroPython's `mip` does, fetched by this computer (so a board without
 * network, or without Wi-Fi set up yet, gets them too). Names from the index
 * (micropython-lib's by default), github:/gitlab: addresses and URLs, with
 * their dependencies; compiled .mpy where the index has them for the board.
 */
import { installPackages } from '../../common/packages/installOnBoard.js';
import { DEFAULT_PACKAGE_INDEX } from '../../common/packages/packageSpec.js';
import { isPackageError } from '../../common/packages/PackageError.js';
import { PackageFetcher } from '../../node/packages/PackageFetcher.js';
import type { CommandBody } from '../commandTable.js';
import { CommandError, EXIT_INTERRUPTED, UsageError } from '../CommandError.js';
import { formatBytes, print, printJson } from './output.js';

export const mip: CommandBody = async (ctx, board) => {
  const [verb, ...specs] = ctx.args;
  if (verb !== 'install') throw new UsageError(`pinwheel mip: "${verb}" is not a mip command; use "pinwheel mip install NAME...".`);
  if (specs.length === 0) throw new UsageError('pinwheel mip install: name at least one package.');
  const index = typeof ctx.flags.index === 'string' ? ctx.flags.index : (process.env.PINWHEEL_PACKAGE_INDEX ?? DEFAULT_PACKAGE_INDEX);
  const target = typeof ctx.flags.target === 'string' ? ctx.flags.target : undefined;
  const fetcher = new PackageFetcher({ signal: ctx.signal });
  try {
    const result = await installPackages(specs, board!.session, board!.files, {
      index,
      target,
      compiled: ctx.flags['no-mpy'] !== true,
      fetchJson: (url) => fetcher.json(url),
      fetchBytes: (url) => fetcher.bytes(url),
      signal: ctx.signal,
      onProgress: (p) => {
        if (!ctx.json && p.phase !== 'done' && p.item) ctx.stderr.write(`${p.phase} ${p.item}\n`);
      },
    });
    const notes = [...result.plan.notes, ...fetcher.notes];
    if (ctx.json) return printJson(ctx, { target: result.target, packages: result.plan.packages, files: result.written, bytes: result.bytes, notes });
    for (const note of notes) ctx.stderr.write(`note: ${note}\n`);
    for (const p of result.plan.packages) {
      const files = result.plan.files.filter((f) => f.packageName === p.name).length;
      print(ctx, `${p.name}${p.version ? ` ${p.version}` : ''}: ${files} ${files === 1 ? 'file' : 'files'}${p.compiled ? ' (compiled)' : ''}${p.deps.length ? `, needs ${p.deps.join(', ')}` : ''}`);
    }
    print(ctx, `Installed to ${result.target}: ${result.written.length} files, ${formatBytes(result.bytes)}.`);
  } catch (err) {
    if (isPackageError(err)) throw new CommandError(err.message, err.code === 'CANCELLED' ? EXIT_INTERRUPTED : undefined);
    throw err;
  }
};
