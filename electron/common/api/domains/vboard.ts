/**
 * The built-in virtual board's own surface: its pins, for the board card's
 * LEDs, and the firmware it imitates (its profile).
 */
import { z } from 'zod';
import { BOARD_PROFILE_NAMES } from '../../board/boardProfileNames.js';
import { PartInput, PartWiring, PartsWiring } from '../../parts/partsWiring.js';
import { Empty, NoParams, call, type CallTable, type EventTable } from './schema.js';

const Pins = z.object({ pins: z.record(z.string(), z.number()) });

export const VirtualBoardProfile = z.enum(BOARD_PROFILE_NAMES, {
  error: (issue) => `the virtual board's firmware must be one of ${BOARD_PROFILE_NAMES.join(', ')}, not ${JSON.stringify(issue.input)}`,
});
const ProfileState = z.object({ profile: VirtualBoardProfile });
/** Where the virtual board's programs may connect: 'local' is this computer and the local network. */
const NetworkState = z.object({ reach: z.enum(['local', 'internet']) });

/** What the board shows on a part: an LED's brightness, a strip's colours, the OLED's picture. */
export const PartOutput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('led'), brightness: z.number().min(0).max(1) }),
  z.object({ kind: z.literal('neopixel'), colors: z.array(z.string().regex(/^#[0-9a-f]{6}$/)).max(64) }),
  /** `image`: the 1024 bytes of its memory, base64, in page order (8 rows per byte, bit 0 on top). */
  z.object({ kind: z.literal('ssd1306'), on: z.boolean(), invert: z.boolean(), contrast: z.number().int().min(0).max(255), image: z.string().max(2048) }),
]);
export type PartOutput = z.infer<typeof PartOutput>;

export const PartsState = z.object({
  wiring: z.array(PartWiring),
  /** What the person set on each part (by id); parts not set yet use their defaults. */
  inputs: z.record(z.string(), PartInput),
  /** What the board shows on each part (by id), while the virtual board is connected. */
  outputs: z.record(z.string(), PartOutput),
  /** The virtual board is the connected board (its parts react). */
  live: z.boolean(),
});
export type PartsState = z.infer<typeof PartsState>;

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
  /** The parts wired to the built-in board, what is set on them and what they show. */
  'vboard.parts': call(NoParams, PartsState),
  /**
   * Rewires the breadboard (remembered). Parts on a bus (DHT22, SSD1306,
   * DS18B20) are part of the board from its next boot: a connected board is
   * reset when they change, as a breadboard is rewired with the power off.
   */
  'vboard.setParts': call(z.object({ parts: PartsWiring }).strict(), PartsState),
  /** A button pressed or released, a slider moved. */
  'vboard.partInput': call(z.object({ id: z.string(), input: PartInput }).strict(), Empty),
} as const satisfies CallTable;

export const vboardEvents = {
  'vboard.pins': Pins,
  'vboard.profile': ProfileState,
  /** Parts state, merged per interval while the board changes what they show. */
  'vboard.parts': PartsState,
  /** A program on the built-in board tried to connect somewhere it may not (the connection was refused). */
  'vboard.blocked': z.object({ address: z.string(), port: z.number() }),
} as const satisfies EventTable;
