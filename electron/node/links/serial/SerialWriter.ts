/**
 * The write path of a serial link: each write resolves once its bytes have
 * left the OS buffers (write plus tcdrain), so a caller that awaits each write
 * is paced by the real line rate. Writes still in flight can be waited for
 * (close) or failed all at once (loss).
 */
import type { LinkError } from '../../../common/link/Link.js';
import type { SerialPortLike } from './SerialPortLike.js';

/** How often waitForPending looks again. */
const PENDING_POLL_MS = 5;

interface PendingWrite {
  resolve(): void;
  reject(error: LinkError): void;
}

export class SerialWriter {
  private readonly pending = new Set<PendingWrite>();

  constructor(
    private readonly port: SerialPortLike,
    /** The port failed under a write: the link is lost (which rejects the pending writes). */
    private readonly onLoss: (cause: unknown, what: string) => void,
  ) {}

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Writes `data` (copied: the caller may reuse its buffer while the write is queued). The link must be open. */
  write(data: Uint8Array): Promise<void> {
    const bytes = Buffer.from(data);
    return new Promise<void>((resolve, reject) => {
      const entry: PendingWrite = {
        resolve: () => {
          this.pending.delete(entry);
          resolve();
        },
        reject: (error) => {
          this.pending.delete(entry);
          reject(error);
        },
      };
      this.pending.add(entry);
      this.port.write(bytes, (writeError) => {
        if (!this.pending.has(entry)) return;
        if (writeError) {
          this.onLoss(writeError, 'write failed');
          return;
        }
        // The stream's drain waits for an 'open' that never comes on a closed
        // port: never call it then (the loss path rejects this write instead).
        if (!this.port.isOpen) {
          this.onLoss(new Error('the port closed during a write'), 'write failed');
          return;
        }
        this.port.drain((drainError) => {
          if (!this.pending.has(entry)) return;
          if (drainError) this.onLoss(drainError, 'drain failed');
          else entry.resolve();
        });
      });
    });
  }

  /** Resolves when no write is in flight any more, or after `timeoutMs`. */
  waitForPending(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        if (this.pending.size === 0 || Date.now() >= deadline) resolve();
        else setTimeout(check, PENDING_POLL_MS);
      };
      check();
    });
  }

  /** Fails every write in flight with `error`. */
  rejectAll(error: LinkError): void {
    for (const entry of [...this.pending]) entry.reject(error);
  }
}
