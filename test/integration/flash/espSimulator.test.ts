/**
 * The simulator on its own, through the WebSerialPort adapter with a small
 * hand-written client: the auto-reset circuit, the ROM's answers where they
 * differ from the stub's, the commands esptool-js does not exercise, and the
 * line-rate model.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSerialPort } from '../../../electron/node/flash/WebSerialPort.js';
import { EspSimulator, ROM_SYNC_REPLIES, type EspSimulatorOptions } from '../../support/espsim/EspSimulator.js';
import { Op, SYNC_PAYLOAD, buildRequest, checksumOf, u32Words } from '../../support/espsim/protocol.js';
import { SlipDecoder, slipEncode } from '../../support/espsim/slip.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Reply {
  op: number;
  value: number;
  body: Uint8Array;
}

/** A minimal loader client: sends requests, collects SLIP packets and the text between them. */
class RawClient {
  readonly packets: Uint8Array[] = [];
  text = '';
  private readonly decoder = new SlipDecoder((p) => this.packets.push(p));
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  constructor(
    readonly sim: EspSimulator,
    readonly port: WebSerialPort,
  ) {}

  static async open(sim: EspSimulator, baud = 115200): Promise<RawClient> {
    const port = new WebSerialPort({ path: sim.path, lineControl: sim.lineControl });
    await port.open({ baudRate: baud });
    const client = new RawClient(sim, port);
    void client.pump();
    return client;
  }

  private async pump(): Promise<void> {
    this.reader = this.port.readable!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    for (;;) {
      const { value, done } = await this.reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) return;
      this.text += Buffer.from(value).toString('latin1');
      this.decoder.push(value);
    }
  }

  async send(op: number, data: Uint8Array, checksum = 0): Promise<void> {
    const writer = this.port.writable!.getWriter();
    await writer.write(slipEncode(buildRequest(op, data, checksum)));
    writer.releaseLock();
  }

  async waitFor(count: number, timeoutMs = 2000): Promise<Uint8Array[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.packets.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${this.packets.length} packets, wanted ${count}`);
      await sleep(2);
    }
    return this.packets.splice(0, count);
  }

  async command(op: number, data: Uint8Array, checksum = 0): Promise<Reply> {
    await this.send(op, data, checksum);
    const [p] = await this.waitFor(1);
    return parseReply(p!);
  }

  /** The classic DTR/RTS sequence esptool uses to enter the download mode. */
  async resetIntoBootloader(): Promise<void> {
    await this.port.setSignals({ dataTerminalReady: false, requestToSend: true });
    await sleep(100);
    await this.port.setSignals({ dataTerminalReady: true, requestToSend: false });
    await sleep(50);
    await this.port.setSignals({ dataTerminalReady: false });
    await sleep(20);
  }

  async close(): Promise<void> {
    await this.reader?.cancel();
    this.reader?.releaseLock();
    await this.port.close();
  }
}

function parseReply(p: Uint8Array): Reply {
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  expect(p[0]).toBe(0x01);
  expect(view.getUint16(2, true)).toBe(p.length - 8);
  return { op: p[1]!, value: view.getUint32(4, true), body: p.subarray(8) };
}

const sims: EspSimulator[] = [];
const clients: RawClient[] = [];
async function setup(options: EspSimulatorOptions): Promise<RawClient> {
  const sim = await EspSimulator.start(options);
  sims.push(sim);
  const client = await RawClient.open(sim);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => {});
  for (const s of sims.splice(0)) await s.stop();
});

/** Loads a fake stub: any MEM upload with an entry point makes the simulator the stub. */
async function becomeStub(c: RawClient): Promise<void> {
  const code = new Uint8Array(64).fill(0x11);
  expect((await c.command(Op.MEM_BEGIN, u32Words(code.length, 1, 0x1800, 0x40080000))).body[0]).toBe(0);
  expect((await c.command(Op.MEM_DATA, new Uint8Array([...u32Words(code.length, 0, 0, 0), ...code]), checksumOf(code))).body[0]).toBe(0);
  expect((await c.command(Op.MEM_END, u32Words(0, 0x40080400))).body[0]).toBe(0);
  const [hello] = await c.waitFor(1);
  expect(Buffer.from(hello!).toString()).toBe('OHAI');
}

describe('ESP simulator', () => {
  it('enters the ROM loader on the classic DTR/RTS sequence and boots the application on a plain EN pulse', async () => {
    const c = await setup({ chip: 'esp32' });
    await c.resetIntoBootloader();
    expect(c.sim.currentMode).toBe('rom');
    expect(c.text).toContain('rst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n');

    // EN pulse with IO0 high (DTR released): the application runs; an erased flash has no image.
    await c.port.setSignals({ dataTerminalReady: false, requestToSend: true });
    await sleep(20);
    await c.port.setSignals({ requestToSend: false });
    await sleep(50);
    expect(c.sim.currentMode).toBe('app');
    expect(c.text).toContain('boot:0x13 (SPI_FAST_FLASH_BOOT)');
    expect(c.text).toContain('invalid header: 0xffffffff');
    expect(c.sim.stats).toMatchObject({ downloadBoots: 1, appBoots: 1, resets: 2 });

    // The application ignores the loader protocol.
    await c.send(Op.SYNC, SYNC_PAYLOAD);
    await sleep(50);
    expect(c.packets).toEqual([]);
  });

  it('ESP32 ROM: eight SYNC replies with 4 status bytes, unsupported GET_SECURITY_INFO, MD5 as 32 hex characters', async () => {
    const c = await setup({ chip: 'esp32' });
    await c.resetIntoBootloader();
    await c.send(Op.SYNC, SYNC_PAYLOAD);
    const syncs = (await c.waitFor(ROM_SYNC_REPLIES)).map(parseReply);
    for (const r of syncs) {
      expect(r.op).toBe(Op.SYNC);
      expect(r.value).not.toBe(0);
      expect([...r.body]).toEqual([0, 0, 0, 0]);
    }
    const unsupported = await c.command(Op.GET_SECURITY_INFO, new Uint8Array(0));
    expect(unsupported.op).not.toBe(Op.GET_SECURITY_INFO);
    expect([...unsupported.body.subarray(0, 2)]).toEqual([1, 0x05]);
    // Stub-only commands are unknown to the ROM too.
    expect([...(await c.command(Op.ERASE_FLASH, new Uint8Array(0))).body.subarray(0, 2)]).toEqual([1, 0x05]);

    const md5 = await c.command(Op.SPI_FLASH_MD5, u32Words(0, 4096, 0, 0));
    expect(md5.body.length).toBe(32 + 4);
    const erasedMd5 = createHash('md5').update(new Uint8Array(4096).fill(0xff)).digest('hex');
    expect(Buffer.from(md5.body.subarray(0, 32)).toString()).toBe(erasedMd5);
  });

  it('ESP8266 ROM: 2 status bytes, and no compressed writes or MD5 before the stub', async () => {
    const c = await setup({ chip: 'esp8266' });
    await c.resetIntoBootloader();
    const magic = await c.command(Op.READ_REG, u32Words(0x40001000));
    expect(magic.value).toBe(0xfff0c101);
    expect([...magic.body]).toEqual([0, 0]);
    expect([...(await c.command(Op.FLASH_DEFL_BEGIN, u32Words(4096, 1, 4096, 0))).body]).toEqual([1, 0x05]);
    expect([...(await c.command(Op.SPI_FLASH_MD5, u32Words(0, 4096, 0, 0))).body]).toEqual([1, 0x05]);
  });

  it('the ROM writes plain FLASH_DATA blocks; bad checksums and out-of-order blocks are refused', async () => {
    const c = await setup({ chip: 'esp32', lineRate: false });
    await c.resetIntoBootloader();
    const block = Uint8Array.from({ length: 1024 }, (_, i) => i & 0xff);
    expect((await c.command(Op.FLASH_BEGIN, u32Words(2048, 2, 1024, 0x8000, 0))).body[0]).toBe(0);
    const badChecksum = await c.command(Op.FLASH_DATA, new Uint8Array([...u32Words(1024, 0, 0, 0), ...block]), checksumOf(block) ^ 1);
    expect([...badChecksum.body.subarray(0, 2)]).toEqual([1, 0x07]);
    const outOfOrder = await c.command(Op.FLASH_DATA, new Uint8Array([...u32Words(1024, 1, 0, 0), ...block]), checksumOf(block));
    expect(outOfOrder.body[0]).toBe(1);
    expect((await c.command(Op.FLASH_DATA, new Uint8Array([...u32Words(1024, 0, 0, 0), ...block]), checksumOf(block))).body[0]).toBe(0);
    expect((await c.command(Op.FLASH_DATA, new Uint8Array([...u32Words(1024, 1, 0, 0), ...block]), checksumOf(block))).body[0]).toBe(0);
    expect((await c.command(Op.FLASH_END, u32Words(1))).body[0]).toBe(0);
    expect([...c.sim.flash.subarray(0x8000, 0x8800)]).toEqual([...block, ...block]);
  });

  it('the stub: one SYNC reply, 16-byte MD5, READ_FLASH with acknowledgements, ERASE_REGION, unknown commands fail', async () => {
    const c = await setup({ chip: 'esp32', lineRate: false });
    await c.resetIntoBootloader();
    await becomeStub(c);
    expect(c.sim.currentMode).toBe('stub');

    await c.send(Op.SYNC, SYNC_PAYLOAD);
    await sleep(50);
    expect(c.packets.splice(0).map((p) => parseReply(p).value)).toEqual([0]);

    c.sim.flash.set(Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff), 0x3000);
    const expected = c.sim.flash.slice(0x3000, 0x3000 + 5000);
    const md5 = await c.command(Op.SPI_FLASH_MD5, u32Words(0x3000, 5000, 0, 0));
    expect(Buffer.from(md5.body.subarray(0, 16)).toString('hex')).toBe(createHash('md5').update(expected).digest('hex'));
    expect([...md5.body.subarray(16)]).toEqual([0, 0]);

    expect((await c.command(Op.READ_FLASH, u32Words(0x3000, 5000, 1024, 2))).body[0]).toBe(0);
    let received = new Uint8Array(0);
    while (received.length < 5000) {
      const [data] = await c.waitFor(1);
      received = new Uint8Array([...received, ...data!]);
      const writer = c.port.writable!.getWriter();
      await writer.write(slipEncode(u32Words(received.length)));
      writer.releaseLock();
    }
    expect(received).toEqual(expected);
    const [digest] = await c.waitFor(1);
    expect(Buffer.from(digest!).toString('hex')).toBe(createHash('md5').update(expected).digest('hex'));

    expect((await c.command(Op.ERASE_REGION, u32Words(0x3000, 0x1000))).body[0]).toBe(0);
    expect(c.sim.flash.subarray(0x3000, 0x4000).every((b) => b === 0xff)).toBe(true);
    expect(c.sim.flash[0x4000]).toBe(expected[0x1000]);
    expect((await c.command(Op.ERASE_REGION, u32Words(0x3001, 0x1000))).body[0]).toBe(1);

    const unknown = await c.command(0x77, new Uint8Array(0));
    expect(unknown.op).toBe(0x77);
    expect(unknown.body[0]).toBe(1);
  });

  it('paces bytes at the line rate: a 4 KiB READ_FLASH takes ~356 ms at 115200 and 8x less at 921600', async () => {
    const c = await setup({ chip: 'esp32' });
    await c.resetIntoBootloader();
    await becomeStub(c);

    const timeRead = async (): Promise<number> => {
      const t0 = performance.now();
      await c.command(Op.READ_FLASH, u32Words(0, 4096, 4096, 1));
      await c.waitFor(1, 3000);
      const writer = c.port.writable!.getWriter();
      await writer.write(slipEncode(u32Words(4096)));
      writer.releaseLock();
      await c.waitFor(1);
      return performance.now() - t0;
    };
    const slow = await timeRead();

    await c.command(Op.CHANGE_BAUDRATE, u32Words(921600, 115200));
    await c.port.setBaudRate(921600);
    expect(c.sim.baud).toBe(921600);
    const fast = await timeRead();
    console.log(`4 KiB read: ${slow.toFixed(0)} ms at 115200, ${fast.toFixed(0)} ms at 921600`);
    // 0xFF needs no SLIP escapes: 4096 data bytes + framing and the MD5 packet, 10 bits each.
    expect(slow).toBeGreaterThan(356);
    expect(slow).toBeLessThan(356 * 1.5);
    expect(fast).toBeLessThan(slow / 5);
  });
});
