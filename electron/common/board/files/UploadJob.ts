/** What an upload strategy (streamUpload, commandUpload) is given: one file's data, where it goes, and how. */
import type { HostCodec } from '../HostCodec.js';
import type { RawRepl } from '../BoardSession.js';
import type { TransferPlan } from './transferPlan.js';

export interface UploadLimits {
  /** Per streamed chunk: base wait for the board's ack, plus per-byte time below (covers 9600 baud). */
  CHUNK_ACK_BASE_MS: number;
  CHUNK_ACK_PER_BYTE_MS: number;
  /** Limit for long board-side steps (walking a big tree, hashing a big file). */
  LONG_STEP_TIMEOUT_MS: number;
}

export interface UploadJob {
  repl: RawRepl;
  /** The board path the data goes to (the temp file of an atomic write). */
  target: string;
  data: Uint8Array;
  plan: TransferPlan;
  /** Deflate pieces where that saves (the board has the deflate module). */
  compress: boolean;
  codec: HostCodec;
  limits: UploadLimits;
  signal: AbortSignal | undefined;
  onProgress: ((done: number, total: number) => void) | undefined;
  /** The streamed upload says when its receiver program starts ('start') and when the board is ready for data ('data'). */
  onPhase?: ((phase: 'start' | 'data') => void) | undefined;
}
