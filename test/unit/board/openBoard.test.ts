import { describe, expect, it } from 'vitest';
import { openBoard } from '../../../electron/common/board/openBoard.js';
import type { HostCodec } from '../../../electron/common/board/HostCodec.js';
import { ScriptedLink } from '../../support/ScriptedLink.js';
import { FAST_TIMING, enterRaw, exitRaw, rawPasteExec } from './scripts.js';

const codec: HostCodec = {
  deflateRaw: () => Promise.reject(new Error('not used')),
  sha256: () => Promise.reject(new Error('not used')),
};

const PROBE_ANSWER = [
  'impl\tmicropython',
  'ver\t1.22.0',
  'vtext\tv1.22.0 on 2023-12-27',
  'mach\tESP32 module with ESP32',
  'plat\tesp32',
  'heap\t120000',
  // ilistdir, stat, stdin.buffer and kbd_intr (one 0/1 per feature, in the probe's order)
  'has\t10100000000000101',
  '',
].join('\r\n');

const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('openBoard', () => {
  it('makes session and files, lets the caller listen first, and probes', async () => {
    const link = new ScriptedLink([
      ...enterRaw(),
      ...rawPasteExec({ window: 1024, stdout: PROBE_ANSWER, check: (code) => expect(code).toContain('def _pw_probe():') }),
      ...exitRaw(),
    ]);
    const busy: boolean[] = [];
    const terminal: string[] = [];
    let hostBytesWhenCreated = -1;
    const board = await openBoard(link, {
      codec,
      timing: FAST_TIMING,
      label: 'connecting to the board',
      onCreated: ({ session }) => {
        hostBytesWhenCreated = link.transcript.length;
        session.onDidChangeBusy((b) => busy.push(b));
        session.onTerminalData((d) => terminal.push(dec(d)));
      },
    });
    expect(hostBytesWhenCreated).toBe(0);
    expect(board.info).toMatchObject({ implementation: 'micropython', version: '1.22.0', platform: 'esp32', freeHeapBytes: 120000, rawPaste: true });
    expect(board.info!.has).toMatchObject({ ilistdir: true, stat: true, stdinBuffer: true, kbdIntr: true, rename: false });
    expect(board.session.info).toBe(board.info);
    expect(board.files.session).toBe(board.session);
    expect(busy).toEqual([true, false]);
    expect(terminal.join('')).toBe('\r\x1b[K>>> ');
    await link.whenDone();
    link.assertDone();
  });

  it('with probe: false leaves the board alone', async () => {
    const link = new ScriptedLink([{ send: 'running main.py\r\n' }]);
    const terminal: string[] = [];
    const board = await openBoard(link, { codec, timing: FAST_TIMING, probe: false, onCreated: ({ session }) => session.onTerminalData((d) => terminal.push(dec(d))) });
    await link.whenDone();
    expect(board.info).toBeUndefined();
    expect(link.transcript.filter((e) => e.from === 'host')).toEqual([]);
    expect(terminal.join('')).toBe('running main.py\r\n');
  });

  it('disposes the session when the probe fails, and leaves the link open', async () => {
    const link = new ScriptedLink([{ ignoreRest: true }]);
    const terminal: string[] = [];
    const err = await openBoard(link, {
      codec,
      timing: FAST_TIMING,
      onCreated: ({ session }) => session.onTerminalData((d) => terminal.push(dec(d))),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NO_PROMPT' });
    expect(link.isOpen).toBe(true);
    link.emit('after\r\n');
    expect(terminal).toEqual([]);
  });
});
