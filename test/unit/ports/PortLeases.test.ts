import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/common/api/errors.js';
import { PortLeases, type LeaseChange } from '../../../electron/node/ports/PortLeases.js';

/** Paths are their own canonical form here, except a by-id alias of ttyUSB0. */
const canonicalPath = async (p: string) => (p === '/dev/serial/by-id/usb-esp32' ? '/dev/ttyUSB0' : p);

describe('PortLeases', () => {
  it('gives a port to one owner at a time; a second owner gets BUSY naming the holder', async () => {
    const leases = new PortLeases({ canonicalPath });
    const board = await leases.acquire('/dev/ttyUSB0', { owner: 'the board connection' });
    const refused = await leases.acquire('/dev/serial/by-id/usb-esp32', { owner: 'the flasher' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('BUSY');
    expect((refused as ApiError).message).toMatch(/in use by the board connection/);
    expect(await leases.holderOf('/dev/ttyUSB0')).toBe('the board connection');
    // Another port is independent.
    const other = await leases.acquire('/dev/ttyUSB1', { owner: 'the flasher' });
    board.release();
    board.release();
    expect(await leases.holderOf('/dev/ttyUSB0')).toBeUndefined();
    const flasher = await leases.acquire('/dev/ttyUSB0', { owner: 'the flasher' });
    expect(await leases.heldByOther('/dev/ttyUSB0', 'the board connection')).toBe(true);
    flasher.dispose();
    other.dispose();
  });

  it('never lets two owners hold one port, even when many ask at once', async () => {
    const leases = new PortLeases({ canonicalPath });
    let holders = 0;
    let maxHolders = 0;
    const worker = async (i: number) => {
      for (;;) {
        const lease = await leases.acquire('/dev/ttyACM0', { owner: `owner ${i}`, onPreempt: async () => undefined }, { preempt: false }).catch(() => undefined);
        if (!lease) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        holders++;
        maxHolders = Math.max(maxHolders, holders);
        await new Promise((r) => setTimeout(r, 2));
        holders--;
        lease.release();
        return;
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => worker(i)));
    expect(maxHolders).toBe(1);
  });

  it('preempts a holder that can let go: it closes first, then the new owner gets the port', async () => {
    const leases = new PortLeases({ canonicalPath });
    const steps: string[] = [];
    const changes: LeaseChange[] = [];
    leases.onDidChange((c) => changes.push(c));
    await leases.acquire('/dev/ttyUSB0', {
      owner: 'the board connection',
      onPreempt: async (by) => {
        steps.push(`board lets go for ${by}`);
        await new Promise((r) => setTimeout(r, 5));
        steps.push('board closed');
      },
    });
    const flasher = await leases.acquire('/dev/serial/by-id/usb-esp32', { owner: 'the flasher' }, { preempt: true });
    steps.push('flasher holds it');
    expect(steps).toEqual(['board lets go for the flasher', 'board closed', 'flasher holds it']);
    flasher.release();
    expect(changes).toEqual([
      { path: '/dev/ttyUSB0', owner: 'the board connection' },
      { path: '/dev/ttyUSB0', owner: undefined },
      { path: '/dev/serial/by-id/usb-esp32', owner: 'the flasher' },
      { path: '/dev/serial/by-id/usb-esp32', owner: undefined },
    ]);
  });

  it('still covers a by-id name when the chip comes back behind another tty (re-enumeration)', async () => {
    let target = '/dev/ttyACM0';
    const leases = new PortLeases({ canonicalPath: async (p) => (p === '/dev/serial/by-id/usb-s3' ? target : p) });
    const flasher = await leases.acquire('/dev/serial/by-id/usb-s3', { owner: 'the flasher' });
    target = '/dev/ttyACM1';
    expect(await leases.holderOf('/dev/serial/by-id/usb-s3')).toBe('the flasher');
    expect(await leases.heldByOther('/dev/serial/by-id/usb-s3', 'the board connection')).toBe(true);
    // The old device name is still covered too; the new tty by its own name is not (the flasher leases it when it follows).
    expect(await leases.holderOf('/dev/ttyACM0')).toBe('the flasher');
    expect(await leases.holderOf('/dev/ttyACM1')).toBeUndefined();
    flasher.release();
    expect(await leases.holderOf('/dev/serial/by-id/usb-s3')).toBeUndefined();
  });

  it('fails a preempting request when the holder cannot let go, keeping the holder', async () => {
    const leases = new PortLeases({ canonicalPath, preemptTimeoutMs: 30 });
    await leases.acquire('/dev/ttyUSB0', { owner: 'a CLI command' });
    const noHook = await leases.acquire('/dev/ttyUSB0', { owner: 'the flasher' }, { preempt: true }).catch((e: unknown) => e);
    expect((noHook as ApiError).code).toBe('BUSY');

    const stuck = new PortLeases({ canonicalPath, preemptTimeoutMs: 30 });
    await stuck.acquire('/dev/ttyUSB0', { owner: 'the board connection', onPreempt: () => new Promise(() => undefined) });
    const timedOut = await stuck.acquire('/dev/ttyUSB0', { owner: 'the flasher' }, { preempt: true }).catch((e: unknown) => e);
    expect((timedOut as ApiError).code).toBe('TIMEOUT');
    expect(await stuck.holderOf('/dev/ttyUSB0')).toBe('the board connection');

    const failing = new PortLeases({ canonicalPath });
    await failing.acquire('/dev/ttyUSB0', { owner: 'the board connection', onPreempt: async () => Promise.reject(new Error('port stuck')) });
    const failed = await failing.acquire('/dev/ttyUSB0', { owner: 'the flasher' }, { preempt: true }).catch((e: unknown) => e);
    expect((failed as ApiError).message).toMatch(/could not let go of \/dev\/ttyUSB0: port stuck/);
  });

  it('a cancelled request takes nothing', async () => {
    const leases = new PortLeases({ canonicalPath });
    await leases.acquire('/dev/ttyUSB0', { owner: 'the board connection', onPreempt: () => new Promise(() => undefined) });
    const controller = new AbortController();
    const pending = leases.acquire('/dev/ttyUSB0', { owner: 'the flasher' }, { preempt: true, signal: controller.signal }).catch((e: unknown) => e);
    controller.abort(new ApiError('CANCELLED', 'Flashing was cancelled.'));
    expect(((await pending) as ApiError).code).toBe('CANCELLED');
    expect(await leases.holderOf('/dev/ttyUSB0')).toBe('the board connection');
  });
});
