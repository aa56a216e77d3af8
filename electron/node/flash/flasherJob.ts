/**
 * One job of the flasher (chip info, or a verified write) with EspFlasher,
 * each step reported as a FlasherMessage. The flasher process runs it
 * (flasherEntry.ts); tests that must reach a simulated chip's reset lines run
 * it in their own process with a `lineControl`.
 */
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../common/util/format.js';
import { EspFlasher, EspFlasherError } from './EspFlasher.js';
import type { FlasherFailure, FlasherJob, FlasherMessage } from './flasherProtocol.js';
import { checkImageForChip } from './imageCheck.js';
import { WebSerialPort, type LineControl } from './WebSerialPort.js';

export interface FlasherJobOptions {
  send(message: FlasherMessage): Promise<void>;
  signal: AbortSignal;
  /** How DTR/RTS and the baud reach the device; default the port's own (serialport). */
  lineControl?: LineControl;
}

function failureOf(err: unknown, device: WebSerialPort, signal: AbortSignal): FlasherFailure {
  const message = errorMessage(err);
  if (signal.aborted) return 'cancelled';
  if (device.lost) return 'lost';
  if (err instanceof EspFlasherError && /bootloader/.test(message)) return 'no-bootloader';
  if (err instanceof EspFlasherError && /Verification failed/.test(message)) return 'verify';
  return 'other';
}

/** Runs the job to its end; a failure is reported as a `failed` message, never thrown. */
export async function runFlasherJob(job: FlasherJob, { send, signal, lineControl }: FlasherJobOptions): Promise<void> {
  const device = new WebSerialPort({
    path: job.port,
    ...(job.usbVendorId !== undefined ? { usbVendorId: job.usbVendorId } : {}),
    ...(job.usbProductId !== undefined ? { usbProductId: job.usbProductId } : {}),
    ...(lineControl ? { lineControl } : {}),
  });
  try {
    await send({ type: 'step', label: 'Resetting the chip into its bootloader' });
    const flasher = await EspFlasher.connect(device, { baud: job.baud, signal });
    await send({ type: 'chip', info: flasher.info });
    if (job.type === 'info') {
      await flasher.resetAndClose();
      await send({ type: 'finished' });
      return;
    }
    const image = new Uint8Array(await readFile(job.imagePath));
    const check = checkImageForChip(flasher.info, image);
    if (check.errors.length > 0) {
      await flasher.resetAndClose();
      await send({ type: 'failed', failure: 'refused', message: check.errors.join(' ') });
      return;
    }
    await send({ type: 'step', label: job.eraseAll ? 'Erasing the flash, then writing' : `Writing at 0x${check.offset.toString(16)}` });
    const result = await flasher.write(image, check.offset, {
      eraseAll: job.eraseAll,
      signal,
      onProgress: ({ written, total }) => void send({ type: 'progress', written, total }),
    });
    await send({ type: 'step', label: 'Restarting the board into the new firmware' });
    const banner = await flasher.resetAndReadBanner({ signal });
    await send({ type: 'written', offset: check.offset, bytes: image.length, ...result, warnings: check.warnings, ...(banner !== undefined ? { banner } : {}) });
  } catch (err) {
    await send({ type: 'failed', failure: failureOf(err, device, signal), message: errorMessage(err) });
  }
}
