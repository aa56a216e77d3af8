import { describe, expect, it } from 'vitest';
import { chunkInput } from '../../../renderer/features/terminal/replInput.js';
import { boardPathOf, findTracebackLinks } from '../../../renderer/features/terminal/tracebackLinks.js';
import { TerminalWriter, type WritableTerminal } from '../../../renderer/features/terminal/TerminalWriter.js';

describe('chunkInput', () => {
  it('splits long input and never between a surrogate pair', () => {
    const text = `${'a'.repeat(3)}😀${'b'.repeat(3)}`;
    const chunks = chunkInput(text, 4);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(4);
    expect(chunks[0]).toBe('aaa');
  });

  it('cuts at 16 KiB (16 384 characters) by default, well under the 64 K a terminal.write may carry', () => {
    expect(chunkInput('a'.repeat(40_000)).map((c) => c.length)).toEqual([16_384, 16_384, 7_232]);
    expect(chunkInput('a'.repeat(16_384))).toHaveLength(1);
    expect(chunkInput('')).toEqual([]);
  });
});

describe('findTracebackLinks', () => {
  it('finds the file and line of a MicroPython traceback line', () => {
    const line = '  File "main.py", line 12, in <module>';
    expect(findTracebackLinks(line)).toEqual([{ start: 2, end: 25, file: 'main.py', line: 12 }]);
    expect(line.slice(2, 25)).toBe('File "main.py", line 12');
  });

  it('ignores lines without a file reference and zero line numbers', () => {
    expect(findTracebackLinks('NameError: name x is not defined')).toEqual([]);
    expect(findTracebackLinks('File "a.py", line 0')).toEqual([]);
  });

  it('maps traceback names to board paths; code sent from the editor has none', () => {
    expect(boardPathOf('main.py')).toBe('/main.py');
    expect(boardPathOf('/lib/x.py')).toBe('/lib/x.py');
    expect(boardPathOf('<stdin>')).toBeNull();
  });
});

/** An xterm stand-in whose parser finishes a write only when the test says so. */
class SlowTerminal implements WritableTerminal {
  readonly writes: string[] = [];
  private readonly callbacks: Array<() => void> = [];
  write(data: string, callback?: () => void): void {
    this.writes.push(data);
    if (callback) this.callbacks.push(callback);
  }
  finishOne(): void {
    this.callbacks.shift()?.();
  }
}

describe('TerminalWriter', () => {
  it('writes at once while xterm keeps up', () => {
    const terminal = new SlowTerminal();
    const writer = new TerminalWriter(terminal);
    writer.write('a');
    writer.write('b');
    expect(terminal.writes).toEqual(['a', 'b']);
  });

  it('keeps sending while less than 256 KiB (262 144 characters) is unparsed, and holds what comes after', () => {
    const terminal = new SlowTerminal();
    const writer = new TerminalWriter(terminal);
    writer.write('x'.repeat(262_143));
    writer.write('a');
    expect(terminal.writes.map((w) => w.length)).toEqual([262_143, 1]);
    writer.write('b');
    expect(terminal.writes).toHaveLength(2);
    expect(writer.backlogChars).toBe(262_145);
  });

  it('holds output above the high-water mark and merges it, losing nothing', async () => {
    const terminal = new SlowTerminal();
    const writer = new TerminalWriter(terminal);
    const big = 'x'.repeat(262_144);
    writer.write(big);
    // "line 0\n" to "line 9\n" are 7 characters each, "line 10\n" to "line 99\n" 8: 790 in all.
    for (let i = 0; i < 100; i++) writer.write(`line ${i}\n`);
    expect(terminal.writes).toHaveLength(1);
    expect(writer.backlogChars).toBe(262_934);
    const idle = writer.whenIdle();
    terminal.finishOne();
    expect(terminal.writes).toHaveLength(2);
    expect(terminal.writes[1]).toHaveLength(790);
    expect(terminal.writes[1]!.startsWith('line 0\nline 1\n')).toBe(true);
    expect(terminal.writes[1]!.endsWith('line 98\nline 99\n')).toBe(true);
    terminal.finishOne();
    await idle;
    expect(writer.backlogChars).toBe(0);
    expect(writer.charsWritten).toBe(262_934);
    expect(terminal.writes.join('')).toBe(big + Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
  });
});
