/** `pinwheel vboard`: a virtual board on a pseudo-terminal, until Ctrl-C or SIGTERM. */
import path from 'node:path';
import { VirtualBoard } from '../../node/vboard/VirtualBoard.js';
import type { CommandBody } from '../commandTable.js';
import { print, printJson } from './output.js';

export const vboard: CommandBody = async (ctx) => {
  const board = await VirtualBoard.start({
    model: ctx.flags.usb === true ? 'usb' : 'uart',
    baud: ctx.baudRate,
    ...(typeof ctx.flags.flash === 'string' ? { flashDir: path.resolve(ctx.flags.flash) } : {}),
  });
  const ptyPath = await board.exposeOnPty();
  if (ctx.json) printJson(ctx, { path: ptyPath, model: ctx.flags.usb === true ? 'usb' : 'uart' });
  else print(ctx, ptyPath);
  await new Promise<void>((resolve) => {
    ctx.takeOverInterrupt(resolve);
    process.once('SIGTERM', resolve);
    board.onGone(resolve);
  });
  await board.stop();
};
