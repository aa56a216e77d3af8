/**
 * Virtual boards "plugged in" behind one stable path, as /dev/serial/by-id/...
 * names a USB board: plugIn() starts a board on a new pty and points the path
 * at it; unplug() removes the path and kills the board, as pulling the cable does.
 */
import { unlinkSync, symlinkSync } from 'node:fs';
import { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';

export class PluggedBoards {
  private readonly boards: VirtualBoard[] = [];

  constructor(readonly path: string) {}

  /** The board plugged in last. */
  get current(): VirtualBoard | undefined {
    return this.boards.at(-1);
  }

  async plugIn(): Promise<VirtualBoard> {
    const board = await VirtualBoard.start({ model: 'usb' });
    this.boards.push(board);
    const pty = await board.exposeOnPty();
    this.removePath();
    symlinkSync(pty, this.path);
    return board;
  }

  /** The path vanishes and the board behind it dies. */
  async unplug(): Promise<void> {
    this.removePath();
    await this.current?.kill();
  }

  /** Only the path vanishes (the board keeps running, unreachable by that name). */
  removePath(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // nothing plugged in
    }
  }

  async killAll(): Promise<void> {
    for (const board of this.boards.splice(0)) await board.kill();
  }
}
