/** The board connection's command ids and what each takes; registerBoardCommands.ts says what they do. */
import type { PortInfo } from '../../../electron/common/api/contract.js';
import { commandId } from '../../app/commands/CommandRegistry.js';

export const BoardCommands = {
  /** Connects to a listed port, or to a path typed in. */
  connect: commandId<{ port: PortInfo | string }>('boards.connect'),
  /** Disconnects, or stops connecting or waiting for a lost board. */
  disconnect: commandId('boards.disconnect'),
  softReset: commandId('boards.softReset'),
  hardReset: commandId('boards.hardReset'),
  /** The new-device wizard: a template's files and libraries on the board, then the MQTT view on it. */
  newDevice: commandId('boards.newDevice'),
} as const;
