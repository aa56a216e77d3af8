// The virtual board's REPL seen byte by byte through a pseudo-terminal opened
// with `serialport`, as a USB board would be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';
import { PortClient, enterRawRepl, rawExec } from './portClient.js';

let board: VirtualBoard;
let path: string;
let client: PortClient;

beforeAll(async () => {
  board = await VirtualBoard.start({ model: 'uart' });
  path = await board.exposeOnPty();
  client = await PortClient.open(path);
});

afterAll(async () => {
  await client?.close();
  await board?.stop();
});

async function friendly(): Promise<void> {
  await client.write('\r\x03\x02');
  await client.waitFor('>>> ');
  await client.settle(50);
}

describe('virtual board REPL over a pty', () => {
  it('prints a board banner on reset', async () => {
    await client.settle();
    await board.reset();
    const banner = await client.waitFor('>>> ');
    expect(banner).toBe(
      'MicroPython v1.27.0 on 2025-12-10; Pinwheel virtual board with ESP32\r\nType "help()" for more information.\r\n>>> ',
    );
  });

  it('answers the friendly REPL with board line endings', async () => {
    await friendly();
    await client.write('print(6 * 7)\r');
    expect(await client.waitFor('>>> ')).toBe('print(6 * 7)\r\n42\r\n>>> ');
    // The REPL auto-indents the block; an empty line (backspaces over the indent) ends it.
    await client.write('for i in range(2):\r');
    await client.write('print(i)\r\b\b\b\b\r');
    expect(await client.waitFor('>>> ')).toContain('0\r\n1\r\n>>> ');
  });

  it('frames raw REPL commands and errors', async () => {
    await enterRawRepl(client);
    expect(await rawExec(client, 'print("hi")')).toEqual(['hi\r\n', '']);
    const [out, err] = await rawExec(client, 'print(1)\n1/0');
    expect(out).toBe('1\r\n');
    expect(err).toBe('Traceback (most recent call last):\r\n  File "<stdin>", line 2, in <module>\r\nZeroDivisionError: divide by zero\r\n');
  });

  it('speaks raw-paste with window flow control', async () => {
    await enterRawRepl(client);
    await client.write('\x05A\x01');
    const header = await client.waitFor(/R\x01[\s\S]{3}/);
    expect([...Buffer.from(header, 'latin1')]).toEqual([0x52, 0x01, 128, 0, 0x01]);
    // 1000 bytes of code: the board must grant windows as it consumes them.
    const lines = Array.from({ length: 40 }, (_, i) => `v${String(i).padStart(2, '0')} = ${1_000_000_000 + i}`);
    const code = Buffer.from(lines.join('\n') + '\nprint(v39 + 1)\n', 'latin1');
    let window = 256; // the window size plus the one credit sent at start
    let sent = 0;
    let credits = 0;
    while (sent < code.length) {
      if (window === 0) {
        await client.waitFor('\x01');
        credits++;
        window += 128;
      }
      const n = Math.min(window, code.length - sent);
      await client.write(code.subarray(sent, sent + n));
      sent += n;
      window -= n;
    }
    await client.write('\x04');
    const rest = await client.waitFor('\x04>');
    const tail = rest.replace(/\x01/g, '');
    expect(tail).toBe('\x041000000040\r\n\x04\x04>');
    expect(credits).toBeGreaterThan(0);
  });

  it('reports a syntax error in raw-paste with the abort framing', async () => {
    await client.write('\x05A\x01');
    await client.waitFor(/R\x01[\s\S]{3}/);
    await client.write('x = (\n\x04');
    const rest = await client.waitFor('\x04>');
    expect(rest.startsWith('\x04')).toBe(true);
    expect(rest).toContain('SyntaxError');
    expect(rest.endsWith('\x04\x04>') || /\x04[^\x04]*SyntaxError[^\x04]*\x04>$/.test(rest)).toBe(true);
  });

  it('interrupts while True: pass with Ctrl-C in well under a second', async () => {
    await friendly();
    await client.write('while True: pass\r\r');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await client.write('\x03');
    const out = await client.waitFor('>>> ', 2000);
    const ms = performance.now() - t0;
    expect(out).toContain('KeyboardInterrupt');
    expect(ms).toBeLessThan(300);
  });

  it('interrupts time.sleep with Ctrl-C', async () => {
    await friendly();
    await client.write('import time\rtime.sleep(30)\r');
    await client.waitFor('time.sleep(30)\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await client.write('\x03');
    expect(await client.waitFor('>>> ', 2000)).toContain('KeyboardInterrupt');
    expect(performance.now() - t0).toBeLessThan(300);
  });

  it('maps errno values to the board ones, in text and in e.errno', async () => {
    await enterRawRepl(client);
    const [, err] = await rawExec(client, 'import os\nos.stat("nope")');
    expect(err).toContain('OSError: [Errno 2] ENOENT\r\n');
    const [out] = await rawExec(
      client,
      [
        'import os, errno',
        'def code(f, *a):',
        '    try:',
        '        f(*a)',
        '    except OSError as e:',
        '        return e.errno',
        'os.mkdir("d1")',
        'f = open("d1/f", "w"); f.write("x"); f.close()',
        'print(code(os.mkdir, "d1"), code(os.rmdir, "d1"), code(os.listdir, "d1/f"), code(open, "d1", "w"), code(os.remove, "missing"))',
        'print(errno.ENOENT, errno.EEXIST, errno.EISDIR)',
      ].join('\n'),
    );
    expect(out).toBe('17 39 20 21 2\r\n2 17 21\r\n');
    await rawExec(client, 'os.remove("d1/f"); os.rmdir("d1")');
  });

  it('lets Python read binary stdin during a command, with Ctrl-C interception off', async () => {
    await enterRawRepl(client);
    await client.write(
      [
        'import sys, micropython',
        'micropython.kbd_intr(-1)',
        'print("READY")',
        'a = sys.stdin.buffer.read(256)',
        'b = bytearray(4)',
        'n = sys.stdin.buffer.readinto(b)',
        's = sys.stdin.read(3)',
        'micropython.kbd_intr(3)',
        'print(len(a), a == bytes(range(256)), n, bytes(b), s)',
      ].join('\n') + '\x04',
    );
    await client.waitFor('READY\r\n');
    await client.write(Buffer.from([...Array.from({ length: 256 }, (_, i) => i), 0x03, 0x04, 0x00, 0xff]));
    await client.write(Buffer.from('h\u00e9!', 'utf8'));
    const out = Buffer.from(await client.waitFor('\x04'), 'latin1').toString('utf8');
    expect(out).toBe("256 True 4 b'\\x03\\x04\\x00\\xff' h\u00e9!\r\n\x04");
    await client.waitFor('\x04>');
  });

  it('exposes the machine module, with pins observable from the host', async () => {
    const changes: Array<[number, number]> = [];
    const sub = board.pins.onPinChange((pin, value) => changes.push([pin, value]));
    await enterRawRepl(client);
    const [out, err] = await rawExec(
      client,
      [
        'import machine, os, sys',
        'led = machine.Pin(2, machine.Pin.OUT)',
        'led.on()',
        'a = led.value()',
        'led.toggle()',
        'print(a, led.value(), len(machine.unique_id()), machine.freq())',
        'led.value(1)',
        'print(os.uname().sysname, os.uname().machine, sys.platform)',
      ].join('\n'),
    );
    sub.dispose();
    expect(err).toBe('');
    expect(out).toBe('1 0 6 160000000\r\nesp32 Pinwheel virtual board with ESP32 esp32\r\n');
    expect(changes).toEqual([
      [2, 1],
      [2, 0],
      [2, 1],
    ]);
    expect(board.pins.getPin(2)).toBe(1);
    board.pins.setInput(4, 1);
    expect((await rawExec(client, 'import machine\nprint(machine.Pin(4, machine.Pin.IN).value())'))[0]).toBe('1\r\n');
  });

  it('soft-resets to fresh globals and runs boot.py, then main.py in friendly mode', async () => {
    await enterRawRepl(client);
    await rawExec(
      client,
      'f = open("boot.py", "w"); f.write("print(\\"boot ran\\")\\n"); f.close()\n' +
        'f = open("main.py", "w"); f.write("print(\\"main ran\\")\\nmarker = 42\\n"); f.close()\nsurvivor = 1',
    );
    // Ctrl-D on an empty raw command: soft reset, staying in raw mode (main.py skipped).
    await client.write('\x04');
    expect(await client.waitFor('raw REPL; CTRL-B to exit\r\n>')).toBe('OK\r\nMPY: soft reboot\r\nboot ran\r\nraw REPL; CTRL-B to exit\r\n>');
    expect((await rawExec(client, 'print("survivor" in globals())'))[0]).toBe('False\r\n');
    // Friendly mode: boot.py and main.py, main.py's globals visible at the prompt.
    await client.write('\x02');
    await client.waitFor('>>> ');
    await client.write('\x04');
    const reboot = await client.waitFor('>>> ');
    expect(reboot).toContain('MPY: soft reboot\r\nboot ran\r\nmain ran\r\nMicroPython v1.27.0');
    await client.write('print(marker)\r');
    expect(await client.waitFor('>>> ')).toBe('print(marker)\r\n42\r\n>>> ');
  });

  it('interrupts a looping main.py with Ctrl-C', async () => {
    await enterRawRepl(client);
    await rawExec(client, 'f = open("main.py", "w"); f.write("import time\\nwhile True:\\n    time.sleep(0.01)\\n"); f.close()');
    await client.write('\x02');
    await client.waitFor('>>> ');
    await client.write('\x04');
    await client.waitFor('MPY: soft reboot\r\n');
    await new Promise((r) => setTimeout(r, 200));
    await client.write('\x03');
    const out = await client.waitFor('>>> ', 2000);
    expect(out).toContain('File "main.py", line 3, in <module>\r\nKeyboardInterrupt: \r\n');
    await enterRawRepl(client);
    await rawExec(client, 'import os\nos.remove("main.py")\nos.remove("boot.py")');
  });

  it('keeps running when the client closes and reopens the port', async () => {
    await friendly();
    await client.write('keep = 123\r');
    await client.waitFor('>>> ');
    await client.close();
    await new Promise((r) => setTimeout(r, 100));
    client = await PortClient.open(path);
    await friendly();
    await client.write('print(keep)\r');
    expect(await client.waitFor('>>> ')).toContain('123\r\n>>> ');
  });
});
