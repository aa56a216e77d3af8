import { describe, expect, it } from 'vitest';
import type { Link, LinkError } from '../../../electron/common/link/Link.js';
import { LinkError as LinkErrorClass } from '../../../electron/common/link/Link.js';
import { Emitter } from '../../../electron/common/util/disposable.js';
import { WatchedLink } from '../../../electron/node/links/WatchedLink.js';

/** A link whose transport never reports anything by itself: the case WatchedLink exists for. */
class SilentLink implements Link {
  readonly description = 'silent';
  readonly supportsSignals = false;
  flowControlled = false;
  open = true;
  written: Uint8Array[] = [];
  closes = 0;
  readonly data = new Emitter<Uint8Array>();
  readonly closed = new Emitter<LinkError | undefined>();
  get isOpen() {
    return this.open;
  }
  async write(data: Uint8Array) {
    this.written.push(data);
  }
  onData(listener: (chunk: Uint8Array) => void) {
    return this.data.event(listener);
  }
  onClose(listener: (error?: LinkError) => void) {
    return this.closed.event(listener);
  }
  async setSignals() {}
  async close() {
    this.closes++;
    if (!this.open) return;
    this.open = false;
    this.closed.fire(undefined);
  }
}

describe('WatchedLink', () => {
  it('reports what its transport can do, so the engine paces uploads for the real link', () => {
    const inner = new SilentLink();
    const link = new WatchedLink(inner);
    expect(link.supportsSignals).toBe(false);
    expect(link.flowControlled).toBe(false);
    inner.flowControlled = true;
    expect(link.flowControlled).toBe(true);
  });

  it('passes data both ways while open', async () => {
    const inner = new SilentLink();
    const link = new WatchedLink(inner);
    const got: number[] = [];
    link.onData((c) => got.push(...c));
    inner.data.fire(Uint8Array.of(1, 2));
    await link.write(Uint8Array.of(3));
    expect(got).toEqual([1, 2]);
    expect(inner.written).toEqual([Uint8Array.of(3)]);
    expect(link.isOpen).toBe(true);
  });

  it('markLost tells close listeners with the error, closes the transport and refuses writes', async () => {
    const inner = new SilentLink();
    const link = new WatchedLink(inner);
    const seen: Array<LinkError | undefined> = [];
    link.onClose((e) => seen.push(e));
    const lost = new LinkErrorClass('DISCONNECTED', 'gone');
    link.markLost(lost);
    expect(seen).toEqual([lost]);
    expect(link.isOpen).toBe(false);
    expect(inner.closes).toBe(1);
    // The transport's own close event after ours is not reported a second time.
    expect(seen).toHaveLength(1);
    await expect(link.write(Uint8Array.of(1))).rejects.toBe(lost);
    const late = await new Promise<LinkError | undefined>((resolve) => link.onClose(resolve));
    expect(late).toBe(lost);
  });

  it('reports a loss the transport noticed itself, once', () => {
    const inner = new SilentLink();
    const link = new WatchedLink(inner);
    const seen: Array<LinkError | undefined> = [];
    link.onClose((e) => seen.push(e));
    const error = new LinkErrorClass('DISCONNECTED', 'cable');
    inner.closed.fire(error);
    link.markLost(new LinkErrorClass('DISCONNECTED', 'later'));
    expect(seen).toEqual([error]);
  });

  it('a close by its owner is reported without an error', async () => {
    const inner = new SilentLink();
    const link = new WatchedLink(inner);
    const seen: Array<LinkError | undefined> = [];
    link.onClose((e) => seen.push(e));
    await link.close();
    expect(seen).toEqual([undefined]);
    expect(inner.open).toBe(false);
  });
});
