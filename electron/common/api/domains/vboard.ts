/**
 * The built-in virtual board's own surface: its pins, for the board card's
 * LEDs, and the firmware it imitates (its profile).
 */
import { z } from 'zod';
import { BOARD_PROFILE_NAMES } from '../../board/boardProfileNames.js';
import { NoParams, call, type CallTable, type EventTable } from './schema.js';

const Pins = z.object({ pins: z.record(z.string(), z.number()) });

export const VirtualBoardProfile = z.enum(BOARD_PROFILE_NAMES, {
  error: (issue) => `the virtual board's firmware must be one of ${BOARD_PROFILE_NAMES.join(', ')}, not ${JSON.stringify(issue.input)}`,
});
const ProfileState = z.object({ profile: VirtualBoardProfile });
/** Where the virtual board's programs may connect: 'local' is this computer and the local network. */
const NetworkState = z.object({ reach: z.enum(['local', 'internet']) });

export const vboardCalls = {
  /** Pin levels of the built-in virtual board (empty when another board is connected). */
  'vboard.pins': call(NoParams, Pins),
  /** The firmware the built-in board imitates. */
  'vboard.profile': call(NoParams, ProfileState),
  /**
   * Remembers the firmware and restarts the built-in board with it (each
   * keeps its own files); a connection to it is made again at once.
   */
  'vboard.setProfile': call(z.object({ profile: VirtualBoardProfile }).strict(), ProfileState),
  /** Where the built-in board's programs may connect. */
  'vboard.network': call(NoParams, NetworkState),
  /** Remembered; applies from the next connection the program makes. */
  'vboard.setNetwork': call(NetworkState.strict(), NetworkState),
} as const satisfies CallTable;

export const vboardEvents = {
  'vboard.pins': Pins,
  'vboard.profile': ProfileState,
  /** A program on the built-in board tried to connect somewhere it may not (the connection was refused). */
  'vboard.blocked': z.object({ address: z.string(), port: z.number() }),
} as const satisfies EventTable;
