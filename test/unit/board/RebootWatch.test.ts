import { describe, expect, it } from 'vitest';
import { RebootWatch } from '../../../electron/common/board/repl/RebootWatch.js';

describe('RebootWatch', () => {
  it("sees the board's own boot lines, also when split across reads, and not a program's output", () => {
    const watch = new RebootWatch();
    expect(watch.saw('fed 0\r\nfed 1\r\nstopped feeding\r\n')).toBe(false);
    expect(watch.saw('help: print("Type help")\r\n')).toBe(false);
    expect(watch.saw('MicroPython v1.27.0 on 2025-12-10; ESP32\r\nType "help()" for more ')).toBe(false);
    expect(watch.saw('information.\r\n>>> ')).toBe(true);
    expect(new RebootWatch().saw('ets Jun  8 2016 00:22:57\r\n\r\nrst:0x8 (TG1WDT_SYS_RESET),boot:0x13')).toBe(true);
    expect(new RebootWatch().saw('MPY: soft reboot\r\n')).toBe(true);
  });
});
