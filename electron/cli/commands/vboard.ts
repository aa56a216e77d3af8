/** `pinwheel vboard`: a virtual board on a pseudo-terminal, until Ctrl-C or SIGTERM. */
import path from 'node:path';
import { DEFAULT_BOARD_PROFILE, isBoardProfileName } from '../../common/board/boardProfileNames.js';
import { VirtualBoard } from '../../node/vboard/VirtualBoard.js';
import type { CommandBody } from '../commandTable.js';
import { print, printJson } from './output.js';

export const vboard: CommandBody = async (ctx) => {
  // The command table allows only the profile names (chain.ts checks them before anything runs).
  const given = ctx.flags.profile;
  const profile = typeof given === 'string' && isBoardProfileName(given) ? given : DEFAULT_BOARD_PROFILE;
  const board = await VirtualBoard.start({
    model: ctx.flags.usb === true ? 'usb' : 'uart',
    baud: ctx.baudRate,
    profile,
    ...(typeof ctx.flags.flash === 'string' ? { flashDir: path.resolve(ctx.flags.flash) } : {}),
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
