import { describe, expect, it } from 'vitest';
import { lineModeForUsbId, lookupUsbId, normalizeUsbId } from '../../../electron/common/board/usbIds.js';

describe('normalizeUsbId', () => {
  it('accepts the spellings listings use', () => {
    expect(normalizeUsbId('1a86')).toBe('1A86');
    expect(normalizeUsbId('0x10c4')).toBe('10C4');
    expect(normalizeUsbId(' 303A ')).toBe('303A');
    expect(normalizeUsbId('403')).toBe('0403');
    expect(normalizeUsbId(0x2e8a)).toBe('2E8A');
  });

  it('rejects what is not a 16-bit hex id', () => {
    expect(normalizeUsbId(undefined)).toBeUndefined();
    expect(normalizeUsbId(null)).toBeUndefined();
    expect(normalizeUsbId('')).toBeUndefined();
    expect(normalizeUsbId('12345')).toBeUndefined();
    expect(normalizeUsbId('zzzz')).toBeUndefined();
    expect(normalizeUsbId(0x10000)).toBeUndefined();
    expect(normalizeUsbId(-1)).toBeUndefined();
  });
});

describe('lookupUsbId', () => {
  it.each([
    ['1A86', '7523', 'CH340 USB-UART', true, 'esp-auto-reset'],
    ['1a86', '55d4', 'CH9102 USB-UART', true, 'esp-auto-reset'],
    ['1A86', '55D3', 'CH343 USB-UART', true, 'esp-auto-reset'],
    ['10C4', 'EA60', 'CP210x USB-UART', true, 'esp-auto-reset'],
    ['0403', '6001', 'FT232R USB-UART', false, 'esp-auto-reset'],
    ['0403', '6010', 'FT2232 USB-UART', false, 'esp-auto-reset'],
    ['0403', '6014', 'FT232H USB-UART', false, 'esp-auto-reset'],
    ['0403', '6015', 'FT-X USB-UART', false, 'esp-auto-reset'],
    ['303A', '1001', 'Espressif USB-JTAG-serial', true, 'esp-auto-reset'],
    ['303A', '4001', 'Espressif native USB', true, 'usb-cdc'],
    ['2E8A', '0005', 'RP2040/RP2350 USB (MicroPython)', true, 'usb-cdc'],
    ['1209', 'ADDA', 'MicroPython USB', true, 'usb-cdc'],
    ['0D28', '0204', 'DAPLink USB-UART', true, 'usb-cdc'],
    ['239A', '80F4', 'Adafruit native USB', true, 'usb-cdc'],
    ['F055', '9800', 'Pyboard USB', true, 'usb-cdc'],
  ] as const)('%s:%s is %s', (vid, pid, chip, likely, lineMode) => {
    const identity = lookupUsbId(vid, pid);
    expect(identity?.chip).toBe(chip);
    expect(identity?.likelyMicroPython).toBe(likely);
    expect(identity?.lineMode).toBe(lineMode);
  });

  it('names the board where the ids say so', () => {
    expect(lookupUsbId('2E8A', '0005')?.board).toBe('Raspberry Pi Pico');
    expect(lookupUsbId('0D28', '0204')?.board).toBe('BBC micro:bit');
    expect(lookupUsbId('303A', '1001')?.board).toMatch(/ESP32-C3/);
    expect(lookupUsbId('0403', '6001')).not.toHaveProperty('board');
  });

  it('falls back to the vendor entry for an unlisted product of a known vendor', () => {
    expect(lookupUsbId('1A86', 'FFFF')).toEqual({ chip: 'WCH USB-UART', likelyMicroPython: false, lineMode: 'esp-auto-reset', nativeUsb: false });
    expect(lookupUsbId('0403', undefined)?.chip).toBe('FTDI USB-UART');
    expect(lookupUsbId('2E8A', '0003')?.likelyMicroPython).toBe(false);
  });

  it('knows nothing of unknown or missing vendors', () => {
    expect(lookupUsbId('DEAD', 'BEEF')).toBeUndefined();
    expect(lookupUsbId(undefined, '7523')).toBeUndefined();
    expect(lookupUsbId('not hex', '7523')).toBeUndefined();
  });

  it('returns a fresh object each time, so a caller cannot corrupt the table', () => {
    const first = lookupUsbId('10C4', 'EA60');
    if (!first) throw new Error('CP210x missing');
    first.chip = 'changed';
    expect(lookupUsbId('10C4', 'EA60')?.chip).toBe('CP210x USB-UART');
  });
});

describe('native USB (flow-controlled) boards', () => {
  it('counts MicroPython\'s own USB CDC, never a bridge to a UART', () => {
    for (const [vid, pid] of [['2E8A', '0005'], ['1209', 'ADDA'], ['303A', '4001'], ['F055', '9800'], ['239A', '80F4']]) {
      expect(lookupUsbId(vid, pid)?.nativeUsb, `${vid}:${pid}`).toBe(true);
    }
    // CH340, CP210x, FTDI, the micro:bit's DAPLink (a bridge to the nRF's UART) and ESP USB-Serial-JTAG.
    for (const [vid, pid] of [['1A86', '7523'], ['10C4', 'EA60'], ['0403', '6001'], ['0D28', '0204'], ['303A', '1001']]) {
      expect(lookupUsbId(vid, pid)?.nativeUsb, `${vid}:${pid}`).toBe(false);
    }
  });
});

describe('lineModeForUsbId', () => {
  it('keeps bridges in auto-reset mode and native USB in CDC mode', () => {
    expect(lineModeForUsbId('10C4', 'EA60')).toBe('esp-auto-reset');
    expect(lineModeForUsbId('2E8A', '0005')).toBe('usb-cdc');
  });

  it('defaults unknown ids to usb-cdc (DTR asserted, RTS released)', () => {
    expect(lineModeForUsbId('DEAD', 'BEEF')).toBe('usb-cdc');
    expect(lineModeForUsbId(undefined, undefined)).toBe('usb-cdc');
  });
});
