// The virtual board's '1.9-minimal' profile (a 2017-era board) seen through a
// pty, as a host tool would meet it; and the default profile, unchanged.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualBoard, type VirtualBoardOptions } from '../../../electron/node/vboard/VirtualBoard.js';
import { PortClient, PtyBoards, enterRawRepl, overrunWhileSleeping, rawExec } from './portClient.js';

const ptyBoards = new PtyBoards();
const oldBoard = (options: Partial<VirtualBoardOptions> = {}) => ptyBoards.open({ model: 'uart', profile: '1.9-minimal', ...options });

/** Boards opened outside PtyBoards (they must not start in the raw REPL). */
const extra: Array<{ board: VirtualBoard; client: PortClient }> = [];

afterEach(async () => {
  for (const { board, client } of extra.splice(0)) {
    await client.close();
    await board.stop();
  }
  await ptyBoards.closeAll('stop');
});

/** A board on a pty, reset so its boot output arrives from the start; resolves with the text up to the first prompt. */
async function bootedBoard(options: VirtualBoardOptions): Promise<[VirtualBoard, PortClient, string]> {
  const board = await VirtualBoard.start(options);
  const client = await PortClient.open(await board.exposeOnPty());
  extra.push({ board, client });
  await client.settle();
  await board.reset();
  return [board, client, await client.waitFor('>>> ')];
}

describe("'1.9-minimal' profile", () => {
  it('introduces itself as MicroPython 1.9.3', async () => {
    const [, client, banner] = await bootedBoard({ model: 'uart', profile: '1.9-minimal' });
    expect(banner).toBe('MicroPython v1.9.3 on 2017-11-01; ESP32 module with ESP32\r\nType "help()" for more information.\r\n>>> ');
    await enterRawRepl(client);
    const [out, err] = await rawExec(client, 'import os, sys\nprint(os.uname())\nprint(sys.implementation)\nprint(sys.version)');
    expect(err).toBe('');
    expect(out).toBe(
      "(sysname='esp32', nodename='esp32', release='1.9.3', version='v1.9.3 on 2017-11-01', machine='ESP32 module with ESP32')\r\n" +
        "(name='micropython', version=(1, 9, 3))\r\n3.4.0\r\n",
    );
    // Ctrl-B prints the banner again: the same old one.
    await client.write('\x02');
    expect(await client.waitFor('>>> ')).toContain('MicroPython v1.9.3 on 2017-11-01; ESP32 module with ESP32\r\n');
  });

  it('answers a raw-paste request with R\\x00 and stays in the raw REPL', async () => {
    const [board, client] = await oldBoard();
    expect(board.description).toBe('Virtual board (MicroPython 1.9)');
    await client.write('\x05A\x01');
    expect(await client.waitFor('>')).toBe('R\x00>');
    // A plain raw command still runs, framed as the raw REPL frames it.
    expect(await rawExec(client, 'print(6 * 7)')).toEqual(['42\r\n', '']);
  });

  it('has an os module of exactly listdir, remove, size and uname', async () => {
    const [, client] = await oldBoard();
    const [out, err] = await rawExec(client, 'import os\nprint(sorted(n for n in dir(os) if not n.startswith("__")))');
    expect(err).toBe('');
    expect(out).toBe("['listdir', 'remove', 'size', 'uname']\r\n");
  });

  it('keeps files in a flat filesystem: no names with a /', async () => {
    const [, client] = await oldBoard();
    const [out, err] = await rawExec(
      client,
      [
        'import os',
        'f = open("x", "w")',
        'f.write("hello")',
        'f.close()',
        'print(os.listdir(), os.size("x"), open("x").read())',
        'try:',
        '    open("/x")',
        'except OSError as e:',
        '    print("OSError", e.args[0])',
        'os.remove("x")',
        'print(os.listdir())',
      ].join('\n'),
    );
    expect(err).toBe('');
    expect(out).toBe("['x'] 5 hello\r\nOSError 2\r\n[]\r\n");
    // listdir takes no argument, as on the micro:bit.
    expect((await rawExec(client, 'import os\nos.listdir("/")'))[1]).toContain('TypeError');
  });

  it('lacks hashlib, binascii, deflate and zlib, under their u-names too', async () => {
    const [, client] = await oldBoard();
    const [out, err] = await rawExec(
      client,
      [
        'for name in ("hashlib", "binascii", "deflate", "zlib", "uhashlib", "ubinascii"):',
        '    try:',
        '        __import__(name)',
        '        print(name, "imported")',
        '    except ImportError:',
        '        print(name, "ImportError")',
      ].join('\n'),
    );
    expect(err).toBe('');
    expect(out).toBe(
      'hashlib ImportError\r\nbinascii ImportError\r\ndeflate ImportError\r\nzlib ImportError\r\nuhashlib ImportError\r\nubinascii ImportError\r\n',
    );
    // An import statement fails the same way.
    expect((await rawExec(client, 'import ubinascii'))[1]).toContain("ImportError: no module named 'ubinascii'");
  });

  it('has no sys.stdin, sys.stdout or sys.stderr, but has micropython.kbd_intr', async () => {
    const [, client] = await oldBoard();
    const [out, err] = await rawExec(
      client,
      'import sys, micropython\nprint([hasattr(sys, n) for n in ("stdin", "stdout", "stderr")], callable(micropython.kbd_intr))',
    );
    expect(err).toBe('');
    expect(out).toBe('[False, False, False] True\r\n');
  });

  it('has about 10 KB of heap free after boot, and runs out for real', async () => {
    const [, client] = await oldBoard();
    const [free] = await rawExec(client, 'import gc\ngc.collect()\nprint(gc.mem_free())');
    expect(Number(free)).toBeGreaterThanOrEqual(8 * 1024);
    expect(Number(free)).toBeLessThanOrEqual(12 * 1024);
    const [, err] = await rawExec(client, 'b = bytearray(20 * 1024)');
    expect(err).toContain('MemoryError');
    // The board is still usable, in the raw REPL and the friendly one.
    expect(await rawExec(client, 'print("after", len(bytearray(1024)))')).toEqual(['after 1024\r\n', '']);
    await client.write('\x02');
    await client.waitFor('>>> ');
    await client.write('print(1 + 1)\r');
    expect(await client.waitFor('>>> ')).toBe('print(1 + 1)\r\n2\r\n>>> ');
  });

  it('collects garbage while a program sleeps and prints, keeping what the program holds', async () => {
    const [, client] = await oldBoard();
    // About 100 KB of garbage, ten times the heap; the program's own list and locals survive.
    const [out, err] = await rawExec(
      client,
      [
        'import time',
        'def work():',
        '    keep = [str(i) * 3 for i in range(20)]',
        '    for i in range(1000):',
        '        s = str(i) * 30',
        '        if i % 10 == 0:',
        '            time.sleep_ms(1)',
        '        if i % 100 == 0:',
        '            print(i)',
        '    return keep == [str(i) * 3 for i in range(20)]',
        'print(work())',
      ].join('\n'),
      20_000,
    );
    expect(err).toBe('');
    expect(out).toBe('0\r\n100\r\n200\r\n300\r\n400\r\n500\r\n600\r\n700\r\n800\r\n900\r\nTrue\r\n');
  });

  it('drops what overflows its 64-byte receive buffer while Python sleeps, and counts it', async () => {
    const [board, client] = await oldBoard();
    const { taken, dropped } = await overrunWhileSleeping(board, client, 200);
    expect(dropped).toBe(200 - 64);
    expect(taken).toBe(64);
    // The board still answers.
    expect(await rawExec(client, 'print("still here")')).toEqual(['still here\r\n', '']);
  });

  it('loses nothing of a 2 KB raw command sent in one write: its REPL reads as fast as the line delivers', async () => {
    const [board, client] = await oldBoard({ baud: 115200 });
    // 2 KB that compiles to almost nothing (comments), so the heap is not what is tested.
    const filler = Array.from({ length: 40 }, (_, i) => `# ${String(i).padStart(2, '0')} ${'-'.repeat(44)}`).join('\n');
    const code = `${filler}\nprint(${'1 + '.repeat(10)}1)\n`;
    expect(code.length).toBeGreaterThan(2000);
    const before = board.stats;
    const t0 = performance.now();
    const [out, err] = await rawExec(client, code, 10_000);
    expect([out, err]).toEqual(['11\r\n', '']);
    // Sent at line rate (about 87 us a byte), not faster.
    expect(performance.now() - t0).toBeGreaterThan((code.length / 11_520) * 1000 * 0.95);
    expect(board.stats.rxDroppedBytes - before.rxDroppedBytes).toBe(0);
    expect(board.stats.rxBytes - before.rxBytes).toBe(code.length + 1);
  });

  it('soft-resets as a 1.9 board, keeping its files', async () => {
    const [board, client] = await oldBoard();
    await rawExec(client, 'f = open("a.txt", "w")\nf.write("1")\nf.close()');
    // A soft reset comes back to the same old board.
    await client.write('\x04');
    expect(await client.waitFor('raw REPL; CTRL-B to exit\r\n>')).toBe('OK\r\nPYB: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>');
    expect(await rawExec(client, 'import os\nprint(os.listdir())')).toEqual(["['a.txt']\r\n", '']);
    expect(board.description).toBe('Virtual board (MicroPython 1.9)');
  });
});

describe('default profile', () => {
  it("is 'esp32', unchanged: today's banner, raw-paste, the full os and stdio", async () => {
    for (const profile of [undefined, 'esp32'] as const) {
      const [board, client, banner] = await bootedBoard({ model: 'usb', ...(profile ? { profile } : {}) });
      expect(board.description).toBe('Virtual board (ESP32)');
      expect(banner).toMatch(/^MicroPython v1\.2\d\.\d+ on \d{4}-\d\d-\d\d; Pinwheel virtual board with ESP32\r\nType "help\(\)" for more information\.\r\n>>> $/);
      await enterRawRepl(client);
      await client.write('\x05A\x01');
      expect([...Buffer.from(await client.waitFor(/R\x01[\s\S]{3}/), 'latin1')]).toEqual([0x52, 0x01, 128, 0, 0x01]);
      await client.write('print(5)\x04');
      expect(await client.waitFor('\x04\x04>')).toBe('\x045\r\n\x04\x04>');
      const [out, err] = await rawExec(
        client,
        'import os, sys, hashlib, binascii, gc\nprint(hasattr(os, "statvfs"), hasattr(sys, "stdout"), gc.mem_free() > 50000)\nos.mkdir("/d")\nos.rmdir("/d")',
      );
      expect(err).toBe('');
      expect(out).toBe('True True True\r\n');
    }
  });
});
