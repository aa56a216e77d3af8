/**
 * Flashing benchmark: a 1.5 MB firmware-like image (compresses about as real
 * firmware does) written by EspFlasher to the ESP32 ROM simulator at
 * 921,600 baud with line-rate pacing (10 bits per byte both ways), on a
 * pseudo-terminal through the real serial adapter.
 *
 *   npx tsx test/bench/flash.ts         (or `npm run bench` for every benchmark)
 *   FLASH_BENCH_RUNS=5 npx tsx test/bench/flash.ts
 *
 * Bound: the write (from the first compressed block to the stub's last
 * answer) at most 1.15 x (compressed bytes x 10 bits / 921,600 baud), judged
 * on the median run. Connecting (reset, detect, stub upload at 115,200 baud,
 * baud change) and the MD5 verify are shown apart; the simulator does not
 * model flash write or hashing time, so those figures are the protocol's
 * part only. Exits 1 when the bound is missed.
 */
import { EspFlasher } from '../../electron/node/flash/EspFlasher.js';
import { WebSerialPort } from '../../electron/node/flash/WebSerialPort.js';
import { EspSimulator } from '../support/espsim/EspSimulator.js';
import { fakeFirmware } from '../support/espsim/esptoolHarness.js';

const IMAGE_BYTES = 1_536 * 1024;
const BAUD = 921_600;
const BITS_PER_BYTE = 10;
const BOUND_FACTOR = 1.15;
const RUNS = Number(process.env['FLASH_BENCH_RUNS'] ?? 3);
const OFFSET = 0x1000;

interface Run {
  connectMs: number;
  writeMs: number;
  verifyMs: number;
  compressedBytes: number;
}

async function once(seed: number): Promise<Run> {
  const sim = await EspSimulator.start({ chip: 'esp32' });
  try {
    const image = fakeFirmware(IMAGE_BYTES, 0, seed);
    const connectStarted = performance.now();
    const flasher = await EspFlasher.connect(new WebSerialPort({ path: sim.path, lineControl: sim.lineControl }), { baud: BAUD });
    const connectMs = performance.now() - connectStarted;
    if (flasher.info.baud !== BAUD) throw new Error(`the session settled at ${flasher.info.baud} baud, not ${BAUD}`);
    const result = await flasher.write(image, OFFSET, { eraseAll: false });
    await flasher.close();
    if (!Buffer.from(sim.flash.subarray(OFFSET, OFFSET + image.length)).equals(Buffer.from(image))) throw new Error('the flash does not hold the image');
    return { connectMs, ...result };
  } finally {
    await sim.stop();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  const run = await once(i + 1);
  runs.push(run);
  const boundMs = (run.compressedBytes * BITS_PER_BYTE * 1000) / BAUD;
  console.log(
    `run ${i + 1}: connect ${(run.connectMs / 1000).toFixed(2)} s; write ${(run.writeMs / 1000).toFixed(2)} s for ${run.compressedBytes} compressed bytes ` +
      `(bound ${(boundMs / 1000).toFixed(2)} s, ${(run.writeMs / boundMs).toFixed(3)}x); verify ${(run.verifyMs / 1000).toFixed(3)} s`,
  );
}
const compressed = median(runs.map((r) => r.compressedBytes));
const boundMs = (compressed * BITS_PER_BYTE * 1000) / BAUD;
const writeMs = median(runs.map((r) => r.writeMs));
const ratio = writeMs / boundMs;
console.log(
  `\nflash ${IMAGE_BYTES} B image (${compressed} B compressed, ${((compressed / IMAGE_BYTES) * 100).toFixed(0)}%) to the ESP32 simulator at ${BAUD} baud, ${RUNS} runs (median):`,
);
console.log(`  connect (reset, detect, stub at 115200, baud change): ${(median(runs.map((r) => r.connectMs)) / 1000).toFixed(2)} s`);
console.log(`  write: ${(writeMs / 1000).toFixed(2)} s against the line-rate bound ${(boundMs / 1000).toFixed(2)} s = ${ratio.toFixed(3)}x (target <= ${BOUND_FACTOR}x): ${ratio <= BOUND_FACTOR ? 'met' : 'MISSED'}`);
console.log(`  verify (MD5 of the region; flash hashing time not modelled): ${(median(runs.map((r) => r.verifyMs)) / 1000).toFixed(3)} s`);
process.exit(ratio <= BOUND_FACTOR ? 0 : 1);
