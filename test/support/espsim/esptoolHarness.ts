/**
 * esptool-js driven the way the flasher service will drive it: a Transport
 * over the WebSerialPort adapter, with DTR/RTS and the baud routed to a
 * simulator's side channel (a pty has no modem lines).
 */
import { createHash } from 'node:crypto';
import { ESPLoader, Transport } from 'esptool-js';
import { WebSerialPort } from '../../../electron/node/flash/WebSerialPort.js';
import type { EspSimulator } from './EspSimulator.js';

export interface EsptoolSession {
  port: WebSerialPort;
  transport: Transport;
  loader: ESPLoader;
  /** Every line esptool-js printed. */
  log: string[];
}

export function esptoolOn(sim: EspSimulator, baudrate: number, usb: { usbVendorId?: number; usbProductId?: number } = {}): EsptoolSession {
  const port = new WebSerialPort({ path: sim.path, lineControl: sim.lineControl, ...usb });
  // esptool-js types its device as the DOM's SerialPort; the adapter has the members it uses.
  const transport = new Transport(port as unknown as ConstructorParameters<typeof Transport>[0], false);
  const log: string[] = [];
  let partial = '';
  const loader = new ESPLoader({
    transport,
    baudrate,
    romBaudrate: 115200,
    terminal: {
      clean: () => {},
      writeLine: (line) => {
        log.push(partial + line);
        partial = '';
      },
      write: (text) => {
        partial += text;
      },
    },
  });
  return { port, transport, loader, log };
}

export function md5Hex(image: Uint8Array | string): string {
  return createHash('md5')
    .update(typeof image === 'string' ? Buffer.from(image, 'binary') : image)
    .digest('hex');
}

/**
 * A firmware-like image: an ESP image header (magic 0xE9, the chip id at bytes
 * 12-13), then code-like data: words drawn from a small vocabulary with random
 * literals between, which deflates about as well as real firmware (~60%).
 */
export function fakeFirmware(bytes: number, imageChipId: number, seed = 1): Uint8Array {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const vocabulary = Array.from({ length: 512 }, () => Uint8Array.from({ length: 3 + Math.floor(next() * 10) }, () => Math.floor(next() * 256)));
  const out = new Uint8Array(bytes);
  let o = 0;
  while (o < bytes) {
    if (next() < 0.35) {
      out[o++] = Math.floor(next() * 256);
    } else {
      const word = vocabulary[Math.floor(next() * vocabulary.length)]!;
      out.set(word.subarray(0, Math.min(word.length, bytes - o)), o);
      o += word.length;
    }
  }
  const ESP_IMAGE_MAGIC = 0xe9;
  out[0] = ESP_IMAGE_MAGIC;
  out[12] = imageChipId & 0xff;
  out[13] = imageChipId >> 8;
  return out;
}
