/** The built-in virtual board's own surface: its pins, for the board card's LEDs. */
import { z } from 'zod';
import { NoParams, call, type CallTable, type EventTable } from './schema.js';

const Pins = z.object({ pins: z.record(z.string(), z.number()) });

export const vboardCalls = {
  /** Pin levels of the built-in virtual board (empty when another board is connected). */
  'vboard.pins': call(NoParams, Pins),
} as const satisfies CallTable;

export const vboardEvents = {
  'vboard.pins': Pins,
} as const satisfies EventTable;
