import { describe, expect, it } from 'vitest';
import { pasteModeInput } from '../../../electron/common/board/repl/pasteMode.js';

describe('pasteModeInput', () => {
  it('sends a single line as typed, without its trailing newline', () => {
    expect(pasteModeInput('print(1)\n')).toBe('print(1)');
    expect(pasteModeInput('print(1)\r\n\r\n')).toBe('print(1)');
  });

  it('wraps several lines in paste mode (Ctrl-E ... Ctrl-D) with \\n line ends', () => {
    expect(pasteModeInput('def f():\r\n    return 1\r\nprint(f())\r\n')).toBe('\x05def f():\n    return 1\nprint(f())\n\x04');
    expect(pasteModeInput('a = 1\rb = 2')).toBe('\x05a = 1\nb = 2\n\x04');
  });
});
