/**
 * The flasher process: runs one job the app sends (chip info, or a verified
 * write) with EspFlasher, reports every step, and exits. Started by
 * FlasherProcess; talks over the IPC channel only (FlasherJob in,
 * FlasherMessage out).
 */
import { readFile } from 'node:fs/promises';
import { errorMessage } from '../../common/util/format.js';
import { EspFlasher, EspFlasherError } from './EspFlasher.js';
import { FlasherCommand, FlasherJob, type FlasherFailure, type FlasherMessage } from './flasherProtocol.js';
import { checkImageForChip } from './imageCheck.js';
import { WebSerialPort } from './WebSerialPort.js';

const controller = new AbortController();

function send(message: FlasherMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()));
}

function failureOf(err: unknown, device: WebSerialPort | undefined): FlasherFailure {
  const message = errorMessage(err);
  if (controller.signal.aborted) return 'cancelled';
  if (device?.lost) return 'lost';
  if (err instanceof EspFlasherError && /bootloader/.test(message)) return 'no-bootloader';
  if (err instanceof EspFlasherError && /Verification failed/.test(message)) return 'verify';
  return 'other';
}

async function run(job: FlasherJob): Promise<void> {
  const device = new WebSerialPort({
    path: job.port,
    ...(job.usbVendorId !== undefined ? { usbVendorId: job.usbVendorId } : {}),
    ...(job.usbProductId !== undefined ? { usbProductId: job.usbProductId } : {}),
  });
  try {
    await send({ type: 'step', label: 'Resetting the chip into its bootloader' });
    const flasher = await EspFlasher.connect(device, { baud: job.baud, signal: controller.signal });
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
      signal: controller.signal,
      onProgress: ({ written, total }) => void send({ type: 'progress', written, total }),
    });
    await send({ type: 'step', label: 'Resetting into the new firmware' });
    await flasher.resetAndClose();
    await send({ type: 'written', offset: check.offset, bytes: image.length, ...result, warnings: check.warnings });
  } catch (err) {
    await send({ type: 'failed', failure: failureOf(err, device), message: errorMessage(err) });
  }
}

process.on('message', (raw: unknown) => {
  const job = FlasherJob.safeParse(raw);
  if (job.success) {
    void run(job.data).finally(() => process.exit(0));
    return;
  }
  if (FlasherCommand.safeParse(raw).success) controller.abort();
});
// The app went away: nothing is left to report to.
process.on('disconnect', () => {
  controller.abort();
  setTimeout(() => process.exit(1), 2000).unref();
});
