// Flashing a board the app is connected to, end to end in the backend: the
// board connection lends the port, the flasher resets the chip into its
// bootloader through DTR/RTS (the simulator's reset circuit, reached because
// the job runs in this process), writes and verifies, restarts the chip and
// reads the new firmware's banner; the connection then comes back on its own
// to the new MicroPython.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortLeases } from '../../../electron/node/ports/PortLeases.js';
import { EspSimulator } from '../../support/espsim/EspSimulator.js';
import { fakeFirmware } from '../../support/espsim/esptoolHarness.js';
import { inProcessFlasher } from '../../support/espsim/inProcessFlasher.js';
import { buildEspImage } from '../../support/firmwareImages.js';
import { startTestBackend, type TestBackend } from '../services/harness.js';

const OLD_BANNER = 'MicroPython v1.22.0 on 2023-12-27; Generic ESP32 module with ESP32';
const NEW_BANNER = 'MicroPython v1.29.0 on 2026-08-24; Generic ESP32 module with ESP32';

/** An ESP32 image carrying MicroPython's banner string, as real firmware does. */
function micropythonImage(banner: string, seed: number): Uint8Array {
  const image = fakeFirmware(128 * 1024, 0, seed);
  image.set(buildEspImage({ chip: 'esp32', sizeBytes: 64 }), 0);
  image.set(new TextEncoder().encode(`${banner}\0`), 0x4000);
  return image;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-flash-reconnect-'));
const sims: EspSimulator[] = [];
let t: TestBackend;
let leases: PortLeases;

beforeAll(async () => {
  leases = new PortLeases();
  t = await startTestBackend({ leases, runFlasher: inProcessFlasher(() => sims), reconnectPollMs: 100, reconnectRetryMs: 300, presencePollMs: 100 });
});

afterAll(async () => {
  await t?.close();
  for (const sim of sims) await sim.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('flashing the connected board', () => {
  it('lends the port, writes, shows the new banner, and the connection comes back to the new firmware', async () => {
    const sim = await EspSimulator.start({ chip: 'esp32', repl: true });
    sims.push(sim);
    // The board on the desk runs an older MicroPython: power it up into that.
    sim.flash.set(micropythonImage(OLD_BANNER, 3), 0x1000);
    sim.setSignals({ rts: true });
    sim.setSignals({ rts: false });
    await t.client.call('board.connect', { path: sim.path });
    const before = await t.events.status((s) => s.state === 'connected' && s.info !== undefined, 10_000);
    expect(before.info?.version).toBe('1.22.0');

    const image = micropythonImage(NEW_BANNER, 4);
    const file = path.join(tmp, 'ESP32_GENERIC-20260824-v1.29.0.bin');
    fs.writeFileSync(file, image);
    const from = t.events.all.length;
    const result = await t.client.call('flash.write', { port: sim.path, source: { kind: 'file', path: file }, eraseAll: false }, { timeoutMs: 0 });

    expect(result.banner).toBe(NEW_BANNER);
    expect(Buffer.from(sim.flash.subarray(0x1000, 0x1000 + image.length)).equals(Buffer.from(image))).toBe(true);
    // Reset into the bootloader and back by the lines, as on a desk: no test-only boot mode.
    expect(sim.stats.downloadBoots).toBe(1);
    expect(sim.stats.appBoots).toBe(2);
    expect(result.totalMs).toBeGreaterThanOrEqual(result.writeMs + result.verifyMs);

    const after = await t.events.status((s) => s.state === 'connected' && s.info?.version === '1.29.0', 15_000, from);
    expect(after.port?.path).toBe(sim.path);
    expect(after.info?.versionText).toBe('v1.29.0 on 2026-08-24');
    expect(await leases.holderOf(sim.path)).toBe('the board connection');
    const lent = t.events.of('board.status').find((s) => s.state === 'disconnected' && /in use by the flasher/.test(s.error ?? ''));
    expect(lent).toBeDefined();
  });
});
