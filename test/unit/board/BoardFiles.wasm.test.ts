/**
 * File operations end to end: the engine's board-side Python runs in the real
 * MicroPython interpreter (WebAssembly, in a worker) behind a fake board that
 * speaks the REPL protocol, so these tests check the actual transfer code.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BoardSession } from '../../../electron/common/board/BoardSession.js';
import { BoardFiles, tempPathFor, type TransferEncoding } from '../../../electron/common/board/files/BoardFiles.js';
import { BoardError } from '../../../electron/common/board/BoardError.js';
import { nodeCodec } from '../../../electron/node/services/nodeCodec.js';
import { FakeBoard, WasmBoard, type FakeBoardOptions } from '../../support/FakeBoard.js';
import { FAST_TIMING } from './scripts.js';
import { parsePyBytesRepr, parsePyStrRepr, pyBytesLiteral, pyRepr } from '../../../electron/common/board/python/pyRepr.js';

const wasm = new WasmBoard();
let n = 0;
/** Each test works in its own folder of the one interpreter's filesystem. */
let dir = '';

beforeAll(async () => {
  await wasm.start();
});
afterAll(async () => {
  await wasm.stop();
});
beforeEach(async () => {
  dir = `/t${++n}`;
  const { files, session } = await connect();
  await files.mkdir(dir);
  session.dispose();
});

async function connect(opts: Partial<FakeBoardOptions> = {}) {
  const board = new FakeBoard({ executor: wasm.executor, onSoftReset: () => wasm.reset(), ...opts });
  const session = new BoardSession(board, {
    timing: { ...FAST_TIMING, EXEC_TIMEOUT_MS: 5000, COMMAND_ACK_TIMEOUT_MS: 2000, EXEC_TAIL_TIMEOUT_MS: 1000, RAW_PASTE_FLOW_TIMEOUT_MS: 2000 },
  });
  const files = new BoardFiles(session, nodeCodec);
  return { board, session, files };
}

const PY_SOURCE = new TextEncoder().encode(
  Array.from({ length: 120 }, (_, i) => `def handler_${i}(event, ctx):\n    """Handle event ${i}: naïve café ✓"""\n    return ctx.send(event, retries=${i % 7})\n`).join('\n'),
);

function binaryWithControlBytes(size: number): Uint8Array {
  const b = new Uint8Array(randomBytes(size));
  // Bytes that would stop a raw REPL or a program if they were interpreted.
  b.set([0x03, 0x04, 0x01, 0x02, 0x05, 0x0d, 0x0a, 0x00, 0xff], 10);
  return b;
}

describe('probe on a real interpreter', () => {
  it('reports version, platform, heap and features', async () => {
    const { session } = await connect();
    const info = await session.probe();
    expect(info.implementation).toBe('micropython');
    expect(info.version).toMatch(/^1\.\d+\.\d+$/);
    expect(info.platform).toBe('webassembly');
    expect(info.freeHeapBytes).toBeGreaterThan(10_000);
    expect(info.rawPaste).toBe(true);
    expect(info.has).toMatchObject({ ilistdir: true, stat: true, mkdir: true, rename: true, sha256: true, a2bBase64: true, deflate: true, stdinBuffer: true, kbdIntr: true, size: false });
  });
});

describe('write and read, each transfer encoding', () => {
  const cases: Array<[TransferEncoding, boolean]> = [
    ['stream', true],
    ['stream', false],
    ['base64', true],
    ['base64', false],
    ['repr', false],
  ];
  for (const [encoding, compress] of cases) {
    it(`${encoding}${compress ? ' + deflate' : ''}: Python source and binary with control bytes arrive intact`, async () => {
      const { files, board } = await connect();
      const src = `${dir}/main.py`;
      const bin = `${dir}/blob.bin`;
      const binData = binaryWithControlBytes(encoding === "repr" ? 3000 : encoding === "base64" ? 6000 : 18_000);
      const progress: number[] = [];
      const r1 = await files.write(src, PY_SOURCE, { encoding, compress, onProgress: (d) => progress.push(d) });
      const r2 = await files.write(bin, binData, { encoding, compress });
      expect(r1).toMatchObject({ skipped: false, bytes: PY_SOURCE.length, encoding, atomic: true, hashVerified: true });
      expect(progress.at(-1)).toBe(PY_SOURCE.length);
      if (compress) expect(r1.wireBytes).toBeLessThan(PY_SOURCE.length * 0.6);
      if (encoding === 'stream') expect(r2.wireBytes).toBeLessThan(binData.length * 1.01);
      const onBoard = await wasm.files([src, bin, tempPathFor(src)]);
      expect(Buffer.from(onBoard[src]!)).toEqual(Buffer.from(PY_SOURCE));
      expect(Buffer.from(onBoard[bin]!)).toEqual(Buffer.from(binData));
      expect(onBoard[tempPathFor(src)]).toBeNull();
      expect(Buffer.from(await files.read(bin))).toEqual(Buffer.from(binData));
      expect(Buffer.from(await files.read(src))).toEqual(Buffer.from(PY_SOURCE));
      if (encoding !== 'stream') expect(Math.max(...board.commands.map((c) => c.length))).toBeLessThanOrEqual(4096 + 200);
    });
  }

  it('writes an empty file', async () => {
    const { files } = await connect();
    await files.write(`${dir}/empty.txt`, new Uint8Array(0));
    expect((await wasm.files([`${dir}/empty.txt`]))[`${dir}/empty.txt`]!.length).toBe(0);
    expect((await files.read(`${dir}/empty.txt`)).length).toBe(0);
  });
});

describe('atomic writes', () => {
  it('goes temp file -> verify -> rename, in that order', async () => {
    const { files, board } = await connect();
    const p = `${dir}/seq.py`;
    await files.session.probe();
    const before = board.commands.length;
    await files.write(p, PY_SOURCE);
    const cmds = board.commands.slice(before);
    const tmp = tempPathFor(p);
    expect(tmp).toBe(`${dir}/.seq.py.pwtmp`);
    // Each step is a board-side function called with the paths (python/writePrepPy.ts, streamReceivePy.ts, verifyAndReplacePy.ts).
    const removeStale = cmds.findIndex((c) => c.includes(`_pw_prepare('${p}','${tmp}')`) && c.includes('try:os.remove(tmp)\n except OSError:pass'));
    const transfer = cmds.findIndex((c) => c.includes(`_pw_receive('${tmp}')`) && c.includes('f=open(path,"wb")'));
    const verifyRename = cmds.findIndex((c) => c.includes(`_pw_verify('${tmp}','${p}')`) && c.includes('h=sha256hex(tmp)') && c.includes('os.rename(tmp,path)'));
    expect(removeStale).toBeGreaterThanOrEqual(0);
    expect(transfer).toBeGreaterThan(removeStale);
    expect(verifyRename).toBeGreaterThan(transfer);
    // The verification compares the host's sha256 before renaming.
    const hash = Buffer.from(await nodeCodec.sha256(PY_SOURCE)).toString('hex');
    expect(cmds[verifyRename]).toContain(hash);
  });

  it('skips a file whose sha256 already matches', async () => {
    const { files, board } = await connect();
    const p = `${dir}/same.py`;
    expect((await files.write(p, PY_SOURCE)).skipped).toBe(false);
    const before = board.commands.length;
    const again = await files.write(p, PY_SOURCE);
    expect(again).toMatchObject({ skipped: true, wireBytes: 0 });
    expect(board.commands.length - before).toBe(1); // only the comparison ran
    const changed = new Uint8Array(PY_SOURCE);
    changed[5] = changed[5]! ^ 1;
    expect((await files.write(p, changed)).skipped).toBe(false);
  });

  for (const encoding of ['stream', 'base64'] as const) {
    it(`an interrupted ${encoding} write leaves the old file intact and no temp file`, async () => {
      const { files } = await connect();
      const p = `${dir}/keep.bin`;
      const old = binaryWithControlBytes(500);
      await files.write(p, old);
      const ac = new AbortController();
      const next = binaryWithControlBytes(60_000);
      const err = await files
        .write(p, next, { encoding, compress: false, signal: ac.signal, onProgress: (d) => d > 0 && ac.abort() })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BoardError);
      expect((err as BoardError).code).toBe('CANCELLED');
      const onBoard = await wasm.files([p, tempPathFor(p)]);
      expect(Buffer.from(onBoard[p]!)).toEqual(Buffer.from(old));
      expect(onBoard[tempPathFor(p)]).toBeNull();
      // The session is still usable, and Ctrl-C handling was restored on the board.
      expect(await files.session.eval('1+1')).toBe('2');
    });
  }

  it('cleans up a stale temp file from an earlier interrupted write', async () => {
    const { files, session } = await connect();
    const p = `${dir}/stale.py`;
    await session.exec(`f=open(${JSON.stringify(tempPathFor(p))},'w');f.write('half');f.close()`);
    await files.write(p, PY_SOURCE);
    const onBoard = await wasm.files([p, tempPathFor(p)]);
    expect(onBoard[tempPathFor(p)]).toBeNull();
    expect(onBoard[p]!.length).toBe(PY_SOURCE.length);
  });
});

describe('listing and the other operations', () => {
  it('mkdir -p, recursive list, stat, rename, remove -r, disk usage', async () => {
    const { files } = await connect();
    await files.mkdir(`${dir}/a/b/c`);
    await files.mkdir(`${dir}/a/b`); // existing folder is fine
    await files.write(`${dir}/a/x.py`, new TextEncoder().encode('x=1\n'));
    await files.write(`${dir}/a/b/c/y.txt`, new TextEncoder().encode('hello'));
    const progress: number[] = [];
    const all = await files.list(dir, { recursive: true, onProgress: (d) => progress.push(d) });
    const byPath = Object.fromEntries(all.map((e) => [e.path, e]));
    expect(byPath[`${dir}/a`]).toMatchObject({ type: 'dir', name: 'a' });
    expect(byPath[`${dir}/a/b/c`]).toMatchObject({ type: 'dir' });
    expect(byPath[`${dir}/a/x.py`]).toMatchObject({ type: 'file', size: 4 });
    expect(byPath[`${dir}/a/b/c/y.txt`]).toMatchObject({ type: 'file', size: 5, name: 'y.txt' });
    expect(progress.at(-1)).toBe(all.length);
    const flat = await files.list(dir);
    expect(flat.map((e) => e.path)).toEqual([`${dir}/a`]);
    expect(await files.stat(`${dir}/a/b/c/y.txt`)).toMatchObject({ type: 'file', size: 5 });
    expect(await files.stat(`${dir}/a/b`)).toMatchObject({ type: 'dir' });
    await files.rename(`${dir}/a/x.py`, `${dir}/a/z.py`);
    expect((await files.stat(`${dir}/a/z.py`)).size).toBe(4);
    await expect(files.mkdir(`${dir}/a/z.py/sub`)).rejects.toBeTruthy();
    await expect(files.remove(`${dir}/a`)).rejects.toMatchObject({ errno: 39 });
    await files.remove(`${dir}/a`, { recursive: true });
    await expect(files.list(`${dir}/a`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const du = await files.diskUsage('/');
    expect(du.totalBytes).toBeGreaterThan(0);
    expect(du.freeBytes).toBeLessThanOrEqual(du.totalBytes);
  });

  it('a missing folder is a NOT_FOUND error naming the path, never an empty list', async () => {
    const { files } = await connect();
    const err = (await files.list(`${dir}/nope`).catch((e: unknown) => e)) as BoardError;
    expect(err).toBeInstanceOf(BoardError);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.apiCode).toBe('NOT_FOUND');
    expect(err.message).toContain(`${dir}/nope`);
    await expect(files.read(`${dir}/nope.txt`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(files.stat(`${dir}/nope.txt`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(files.remove(`${dir}/nope.txt`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(files.remove('/')).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('handles unicode names and names with quotes and backslashes', async () => {
    const { files } = await connect();
    const names = ["café ✓.py", "it's.txt", 'say "hi".txt', 'back\\slash.txt', 'mixed \'"\\ ü.txt', 'emoji 🐍.py'];
    for (const name of names) await files.write(`${dir}/${name}`, new TextEncoder().encode(name));
    const listed = await files.list(dir);
    expect(listed.map((e) => e.name).sort()).toEqual([...names].sort());
    for (const name of names) expect(new TextDecoder().decode(await files.read(`${dir}/${name}`))).toBe(name);
  });
});

describe("the user's REPL globals", () => {
  it('file operations leave no helpers behind and keep user variables with common names', async () => {
    const { files, session } = await connect();
    await session.exec('f = "user f"\ns = 5\nos = "not the module"\nstack = [1]');
    const before = await session.eval('sorted(globals().keys())');
    await session.probe();
    const p = `${dir}/g.py`;
    for (const encoding of ['stream', 'base64', 'repr'] as const) await files.write(p, PY_SOURCE, { encoding, skipIfSame: false });
    expect((await files.write(p, PY_SOURCE)).skipped).toBe(true);
    const ac = new AbortController();
    const cancelled = files.write(p, binaryWithControlBytes(20_000), { encoding: 'base64', compress: false, signal: ac.signal, onProgress: (d) => d > 0 && ac.abort() });
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    await files.read(p);
    await files.list(dir, { recursive: true });
    await files.stat(p);
    await files.mkdir(`${dir}/g/h`);
    await files.rename(p, `${dir}/g/h/g.py`);
    await files.remove(`${dir}/g`, { recursive: true });
    await files.diskUsage('/');
    await expect(files.read(`${dir}/missing.py`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await session.eval('sorted(globals().keys())')).toBe(before);
    expect(await session.eval('(f, s, os, stack)')).toBe("('user f', 5, 'not the module', [1])");
  });
});

describe('1.9-era firmware model', () => {
  it('plain raw mode, a flat filesystem, repr transfer, small commands, Adler-32 verify and an on-board copy into place', async () => {
    const { files, session, board } = await connect({ rawPaste: 'old' });
    const info = await session.probe();
    expect(info.rawPaste).toBe(false);
    // What a micro:bit v1 lacks (the interpreter has them; the engine must not use them).
    Object.assign(info.has, { ilistdir: false, stdinBuffer: false, kbdIntr: false, a2bBase64: false, b2aBase64: false, deflate: false, sha256: false, rename: false, statvfs: false, mkdir: false });
    info.freeHeapBytes = 10_000;
    const name = `m${Date.now() % 100_000}.py`;
    await files.write(`/${name}`, Uint8Array.from([1, 2, 3]));
    const before = board.commands.length;
    const data = new Uint8Array([...PY_SOURCE.subarray(0, 3000), 0, 3, 4, 255]);
    // Without folders, `name` and `/name` are one file.
    const r = await files.write(name, data);
    expect(r).toMatchObject({ encoding: 'repr', atomic: false, hashVerified: false, skipped: false });
    const cmds = board.commands.slice(before);
    expect(Math.max(...cmds.map((c) => new TextEncoder().encode(c).length))).toBeLessThan(1500);
    expect(cmds.some((c) => c.includes('adler32('))).toBe(true);
    expect(cmds.some((c) => c.includes('os.rename'))).toBe(false);
    expect(Buffer.from(await files.read(`/${name}`))).toEqual(Buffer.from(data));
    const listed = await files.list('/');
    expect(listed.find((e) => e.name === name)).toMatchObject({ path: `/${name}`, type: 'file', size: data.length });
    expect(listed.filter((e) => e.name.endsWith('.pwtmp'))).toEqual([]);
    await expect(files.mkdir(`${dir}/sub`)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(files.write(`${dir}/x.py`, data)).rejects.toThrow(/no folders/);
    await files.remove(name);
    expect((await files.list('/')).find((e) => e.name === name)).toBeUndefined();
  });

  it('without hashlib, Adler-32 of the file read back catches a damaged piece and the old file stays', async () => {
    let damaged = 0;
    // One piece arrives with a byte changed, as a noisy line can do inside a literal that still compiles.
    const { files, session } = await connect({
      rawPaste: 'old',
      executor: (code, ctx) => {
        if (damaged === 0 && code.startsWith("_pw_put(b'") && code.includes('handler_')) {
          damaged++;
          code = code.replace('handler_', 'handlex_');
        }
        return wasm.executor(code, ctx);
      },
    });
    const info = await session.probe();
    Object.assign(info.has, { stdinBuffer: false, kbdIntr: false, a2bBase64: false, b2aBase64: false, deflate: false, sha256: false, rename: false });
    const old = new TextEncoder().encode('print("old")\n');
    damaged = -1; // the first write goes through untouched
    await files.write(`${dir}/keep.py`, old);
    damaged = 0;
    await expect(files.write(`${dir}/keep.py`, PY_SOURCE)).rejects.toMatchObject({ code: 'VERIFY_FAILED' });
    expect(damaged).toBe(1);
    expect(Buffer.from(await files.read(`${dir}/keep.py`))).toEqual(Buffer.from(old));
    expect((await files.list(dir)).map((e) => e.name)).toEqual(['keep.py']);
  });

  it('refused raw-paste (R\\x00) still transfers', async () => {
    const { files, session } = await connect({ rawPaste: 'refuse' });
    await files.write(`${dir}/r.py`, PY_SOURCE);
    expect(session.rawPasteSupported).toBe(false);
    expect(Buffer.from(await files.read(`${dir}/r.py`))).toEqual(Buffer.from(PY_SOURCE));
  });

  it('raw-paste with a small window (nRF-style 64 bytes) works', async () => {
    const { files } = await connect({ windowBytes: 64 });
    await files.write(`${dir}/w.py`, PY_SOURCE, { encoding: 'base64' });
    expect(Buffer.from(await files.read(`${dir}/w.py`))).toEqual(Buffer.from(PY_SOURCE));
  });
});

describe('Python literals against the real interpreter', () => {
  it("pyRepr quotes what MicroPython reads back unchanged, and MicroPython's repr parses back", async () => {
    const { session } = await connect();
    const samples = ['plain', "it's", 'say "hi"', `mix '"\\ ü`, 'café ✓ 🐍', 'tab\tnl\n', '\x00\x7f\u200b'];
    const out = await session.run(async (r) => {
      const got: string[] = [];
      for (const s of samples) got.push((await r.exec(`print(repr(${pyRepr(s)}))`)).stdout.replace(/\r?\n$/, ''));
      return got;
    });
    expect(out.map((l) => parsePyStrRepr(l))).toEqual(samples);
  });

  it('pyBytesLiteral of every byte value is read back exactly', async () => {
    const { session } = await connect();
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const printed = await session.eval(`repr(${pyBytesLiteral(all)})`);
    expect(parsePyBytesRepr(printed)).toEqual(all);
  });
});

describe('soft reset on the fake board', () => {
  it('returns boot output and forgets globals', async () => {
    const { session } = await connect({ bootOutput: 'boot.py ran\r\n' });
    await session.exec('zz=5');
    expect(await session.softReset()).toBe('boot.py ran\r\n');
    await expect(session.exec('print(zz)')).rejects.toMatchObject({ exceptionType: 'NameError' });
  });
});
