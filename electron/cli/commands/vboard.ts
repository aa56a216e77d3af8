/** `pinwheel vboard`: a virtual board on a pseudo-terminal, until Ctrl-C or SIGTERM. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_BOARD_PROFILE, isBoardProfileName } from '../../common/board/boardProfileNames.js';
import { parsePartsWiring, type PartsWiring } from '../../common/parts/partsWiring.js';
import { errorMessage } from '../../common/util/format.js';
import { VirtualBoard } from '../../node/vboard/VirtualBoard.js';
import { CommandError } from '../CommandError.js';
import type { CommandBody } from '../commandTable.js';
import { print, printJson } from './output.js';

export const vboard: CommandBody = async (ctx) => {
  // The command table allows only the profile names (chain.ts checks them before anything runs).
  const given = ctx.flags.profile;
  const profile = typeof given === 'string' && isBoardProfileName(given) ? given : DEFAULT_BOARD_PROFILE;
  const parts = typeof ctx.flags.parts === 'string' ? await readWiring(ctx.flags.parts) : undefined;
  const board = await VirtualBoard.start({
    model: ctx.flags.usb === true ? 'usb' : 'uart',
    baud: ctx.baudRate,
    profile,
    ...(typeof ctx.flags.flash === 'string' ? { flashDir: path.resolve(ctx.flags.flash) } : {}),
    ...(parts ? { parts } : {}),
  });
  const ptyPath = await board.exposeOnPty();
  if (ctx.json) printJson(ctx, { path: ptyPath, model: ctx.flags.usb === true ? 'usb' : 'uart', profile });
  else print(ctx, ptyPath);
  await new Promise<void>((resolve) => {
    ctx.takeOverInterrupt(resolve);
    process.once('SIGTERM', resolve);
    board.onGone(resolve);
  });
  await board.stop();
};

/** The parts wiring in `file` (a JSON array, see docs/virtual-board.md); a problem is named with the file, before any board starts. */
async function readWiring(file: string): Promise<PartsWiring> {
  let text: string;
  try {
    text = await readFile(path.resolve(file), 'utf8');
  } catch (err) {
    throw new CommandError(`Cannot read the parts wiring ${file}: ${errorMessage(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CommandError(`${file} is not valid JSON: ${errorMessage(err)}`);
  }
  const parsed = parsePartsWiring(json);
  if (!parsed.ok) throw new CommandError(`${file} is not a valid parts wiring: ${parsed.problem}`);
  return parsed.parts;
}
