/**
 * Electron cannot start on these machines, so its permission wiring is
 * checked in two halves: the policy itself, and that main.ts hands every
 * permission question (checks as well as requests) to it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererMayUse } from '../../../electron/common/api/securityPolicy.js';

describe('Electron permissions', () => {
  it("allow the terminal's clipboard (Copy writes, Ctrl+V reads) and nothing else", () => {
    expect(rendererMayUse('clipboard-sanitized-write')).toBe(true);
    expect(rendererMayUse('clipboard-read')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'midi', 'serial', 'hid', 'usb', 'openExternal', 'fullscreen', 'pointerLock', 'display-capture']) {
      expect(rendererMayUse(p), p).toBe(false);
    }
  });

  it('main.ts answers both permission checks and permission requests from that policy', () => {
    const main = readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'electron', 'main.ts'), 'utf8');
    expect(main).toMatch(/setPermissionRequestHandler\(\([^)]*\) => callback\(rendererMayUse\(permission\)\)\)/);
    expect(main).toMatch(/setPermissionCheckHandler\(\([^)]*\) => rendererMayUse\(permission\)\)/);
  });
});
