/**
 * The data event of a serial link, which keeps what arrives before anyone
 * listens: the engine subscribes right after open, and a boot banner printed
 * meanwhile must not be lost. Held bytes go to the first listener, in order,
 * before anything newer.
 */
import type { Disposable } from '../../../common/util/disposable.js';
import { Emitter } from '../../../common/util/disposable.js';

/** Bytes kept for a consumer that subscribes after open; older bytes are dropped. */
export const HELD_DATA_LIMIT_BYTES = 64 * 1024;

export class HeldDataEmitter {
  private readonly emitter = new Emitter<Uint8Array>();
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private flushScheduled = false;

  readonly event = (listener: (chunk: Uint8Array) => void): Disposable => {
    const disposable = this.emitter.event(listener);
    if (this.held.length > 0) this.scheduleFlush();
    return disposable;
  };

  /** Bytes from the port: to the listeners, or held until there is one. */
  deliver(chunk: Uint8Array): void {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.emitter.listenerCount > 0 && this.held.length === 0) {
      this.emitter.fire(bytes);
      return;
    }
    this.held.push(bytes);
    this.heldBytes += bytes.byteLength;
    while (this.heldBytes > HELD_DATA_LIMIT_BYTES && this.held.length > 1) {
      const dropped = this.held.shift();
      this.heldBytes -= dropped?.byteLength ?? 0;
    }
    if (this.emitter.listenerCount > 0) this.scheduleFlush();
  }

  /** No more data: listeners and held bytes go. */
  dispose(): void {
    this.emitter.dispose();
    this.held = [];
    this.heldBytes = 0;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (this.emitter.listenerCount === 0) return;
      const held = this.held;
      this.held = [];
      this.heldBytes = 0;
      for (const chunk of held) this.emitter.fire(chunk);
    });
  }
}
