import { describe, expect, it } from 'vitest';
import { FlashMemory } from '../../support/espsim/FlashMemory.js';
import { CHECKSUM_SEED, Op, SYNC_PAYLOAD, buildRequest, buildResponse, checksumOf, parseRequest, u32, u32Words } from '../../support/espsim/protocol.js';
import { SlipDecoder, slipEncode } from '../../support/espsim/slip.js';

function decodeAll(...chunks: number[][]): Uint8Array[] {
  const packets: Uint8Array[] = [];
  const decoder = new SlipDecoder((p) => packets.push(p));
  for (const c of chunks) decoder.push(Uint8Array.from(c));
  return packets;
}

describe('SLIP framing', () => {
  it('wraps a packet in END bytes and escapes END and ESC inside it', () => {
    expect([...slipEncode(Uint8Array.from([0x01, 0xc0, 0x02, 0xdb, 0x03]))]).toEqual([0xc0, 0x01, 0xdb, 0xdc, 0x02, 0xdb, 0xdd, 0x03, 0xc0]);
  });

  it('decodes what it encodes, whatever the chunking', () => {
    const packet = Uint8Array.from([0x00, 0xc0, 0xdb, 0xdb, 0xc0, 0xff, 0x55]);
    const wire = [...slipEncode(packet)];
    for (let split = 1; split < wire.length; split++) {
      expect(decodeAll(wire.slice(0, split), wire.slice(split))).toEqual([packet]);
    }
  });

  it('ignores bytes outside frames and empty frames, and decodes back-to-back packets', () => {
    const text = [...new TextEncoder().encode('waiting for download\r\n')];
    expect(decodeAll([...text, 0xc0, 0xc0, 0x01, 0xc0, 0xc0, 0x02, 0x03, 0xc0])).toEqual([Uint8Array.from([0x01]), Uint8Array.from([0x02, 0x03])]);
  });

  it('drops a packet with an invalid escape and recovers at the next frame', () => {
    const packets: Uint8Array[] = [];
    const decoder = new SlipDecoder((p) => packets.push(p));
    decoder.push(Uint8Array.from([0xc0, 0x01, 0xdb, 0x42, 0x02, 0xc0, 0x07, 0xc0]));
    expect(decoder.droppedPackets).toBe(1);
    expect(packets).toEqual([Uint8Array.from([0x07])]);
  });
});

describe('data checksum', () => {
  it('is 0xEF XORed with every payload byte', () => {
    expect(checksumOf(new Uint8Array(0))).toBe(CHECKSUM_SEED);
    expect(checksumOf(Uint8Array.from([0xef]))).toBe(0x00);
    expect(checksumOf(Uint8Array.from([0x01, 0x02, 0x04]))).toBe(0xef ^ 0x07);
  });
});

describe('command packets', () => {
  it('decodes a request: op, length, checksum, data', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5]);
    const req = parseRequest(buildRequest(Op.FLASH_DEFL_DATA, data, 0x1234));
    expect(req).toEqual({ op: Op.FLASH_DEFL_DATA, checksum: 0x1234, data });
  });

  it('decodes SYNC as esptool sends it', () => {
    const wire = Uint8Array.from([0x00, 0x08, 0x24, 0x00, 0, 0, 0, 0, ...SYNC_PAYLOAD]);
    expect(parseRequest(wire)).toEqual({ op: Op.SYNC, checksum: 0, data: SYNC_PAYLOAD });
  });

  it('refuses a response, a short packet and a length field that does not match', () => {
    expect(parseRequest(Uint8Array.from([0x01, 0x08, 0, 0, 0, 0, 0, 0]))).toEqual({ error: 'not a request (direction 1)' });
    expect(parseRequest(Uint8Array.from([0x00, 0x08]))).toEqual({ error: 'short packet (2 bytes)' });
    expect(parseRequest(Uint8Array.from([0x00, 0x0a, 8, 0, 0, 0, 0, 0, 1, 2, 3, 4]))).toEqual({ error: 'length field 8 but 4 data bytes' });
  });

  it('builds responses with 4 status bytes (ESP32 ROM) or 2 (ESP8266 ROM, stub)', () => {
    const rom32 = buildResponse(Op.READ_REG, 0x00f01d83, new Uint8Array(0), { error: 0, statusBytes: 4 });
    expect([...rom32]).toEqual([0x01, 0x0a, 4, 0, 0x83, 0x1d, 0xf0, 0x00, 0, 0, 0, 0]);
    const stubMd5 = buildResponse(Op.SPI_FLASH_MD5, 0, Uint8Array.from([0xaa, 0xbb]), { error: 0, statusBytes: 2 });
    expect([...stubMd5]).toEqual([0x01, 0x13, 4, 0, 0, 0, 0, 0, 0xaa, 0xbb, 0, 0]);
    const failure = buildResponse(Op.FLASH_DATA, 0, new Uint8Array(0), { error: 0x07, statusBytes: 2 });
    expect([...failure.subarray(8)]).toEqual([1, 0x07]);
  });

  it('reads and writes little-endian words', () => {
    const words = u32Words(0x40001000, 0xffffffff, 1);
    expect([...words.subarray(0, 4)]).toEqual([0x00, 0x10, 0x00, 0x40]);
    expect([u32(words, 0), u32(words, 1), u32(words, 2)]).toEqual([0x40001000, 0xffffffff, 1]);
  });
});

describe('flash model', () => {
  it('starts erased, programs by clearing bits only, and erases whole 4 KiB sectors', () => {
    const flash = new FlashMemory(16 * 1024);
    expect(flash.bytes.every((b) => b === 0xff)).toBe(true);
    flash.program(10, Uint8Array.from([0x0f, 0xf0]));
    flash.program(10, Uint8Array.from([0xf3, 0xff]));
    expect([...flash.read(10, 2)]).toEqual([0x03, 0xf0]);
    flash.program(4096, Uint8Array.from([0]));
    flash.erase(100, 10);
    expect(flash.read(0, 4096).every((b) => b === 0xff)).toBe(true);
    expect(flash.bytes[4096]).toBe(0);
    expect(flash.contains(12 * 1024, 4096)).toBe(true);
    expect(flash.contains(12 * 1024, 4097)).toBe(false);
  });
});
