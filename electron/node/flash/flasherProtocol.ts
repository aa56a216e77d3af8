/**
 * What the app and its flasher process say to each other. Flashing runs in a
 * process of its own: serialport's binding cannot serve a worker thread beside
 * the main thread, and the deflate and the serial traffic stay off the thread
 * that serves the UI. Both directions are checked with these schemas.
 */
import { z } from 'zod';
import { ChipInfoDto } from '../../common/api/domains/flash.js';

const Port = z.string().min(1);
/** The port's USB ids, when known: esptool-js resets a chip on 303A:1001 through USB, not DTR/RTS. */
const UsbIds = { usbVendorId: z.number().int().optional(), usbProductId: z.number().int().optional() };

export const FlasherJob = z.discriminatedUnion('type', [
  z.object({ type: z.literal('info'), port: Port, baud: z.number().int().positive(), ...UsbIds }),
  z.object({
    type: z.literal('write'),
    port: Port,
    baud: z.number().int().positive(),
    imagePath: z.string().min(1),
    eraseAll: z.boolean(),
    ...UsbIds,
  }),
]);
export type FlasherJob = z.infer<typeof FlasherJob>;

/** After the job: the parent may only ask it to stop. */
export const FlasherCommand = z.object({ type: z.literal('cancel') });

/** Why a job failed, for the API's error code and for tests; the message says it for people. */
export const FLASHER_FAILURES = ['refused', 'lost', 'cancelled', 'no-bootloader', 'verify', 'other'] as const;
export type FlasherFailure = (typeof FLASHER_FAILURES)[number];

export const FlasherMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('step'), label: z.string() }),
  z.object({ type: z.literal('chip'), info: ChipInfoDto }),
  z.object({ type: z.literal('progress'), written: z.number(), total: z.number() }),
  z.object({
    type: z.literal('written'),
    offset: z.number(),
    bytes: z.number(),
    compressedBytes: z.number(),
    writeMs: z.number(),
    verifyMs: z.number(),
    warnings: z.array(z.string()),
    /** The new firmware's banner, as it printed it after the reset. */
    banner: z.string().optional(),
  }),
  z.object({ type: z.literal('failed'), failure: z.enum(FLASHER_FAILURES), message: z.string() }),
  /** An info job's end (a write ends with `written`). */
  z.object({ type: z.literal('finished') }),
]);
export type FlasherMessage = z.infer<typeof FlasherMessage>;
