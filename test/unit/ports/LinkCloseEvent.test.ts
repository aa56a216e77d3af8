import { describe, expect, it } from 'vitest';
import { LinkError } from '../../../electron/common/link/Link.js';
import { LinkCloseEvent } from '../../../electron/common/link/LinkCloseEvent.js';

describe('LinkCloseEvent', () => {
  it('fires once with how the link ended, and tells late listeners too', async () => {
    const closed = new LinkCloseEvent();
    const early: Array<LinkError | undefined> = [];
    closed.event((e) => early.push(e));
    const lost = new LinkError('DISCONNECTED', 'unplugged');
    closed.fire(lost);
    closed.fire(undefined);
    expect(early).toEqual([lost]);
    expect(closed.ended).toBe(true);
    expect(closed.error).toBe(lost);

    const late: Array<LinkError | undefined> = [];
    closed.event((e) => late.push(e));
    const disposedLate: unknown[] = [];
    closed.event((e) => disposedLate.push(e)).dispose();
    await Promise.resolve();
    expect(late).toEqual([lost]);
    expect(disposedLate).toEqual([]);
  });
});
