/**
 * The framing of a streamed upload, shared by the host (streamUpload.ts) and
 * the board's receive loop (python/streamReceivePy.ts). The payload (the file,
 * or one deflate stream of it) goes in chunks: a 2-byte little-endian header
 * (the chunk's length) and that many bytes; a zero header ends the upload and
 * STREAM_ABORT_HEADER abandons it. The board reads a window at a time and
 * sends STREAM_WINDOW_ACK for each window it has taken out of its receive
 * buffer; the host keeps at most STREAM_IN_FLIGHT_BYTES unacknowledged, which
 * fits an ESP32's 256-byte UART receive buffer, so a board busy writing flash
 * can never lose bytes (without it an 8 KB chunk sent in one go lost bytes
 * silently whenever the board was held up for longer than its buffer lasts,
 * 22 ms at 115200 baud).
 */

export const STREAM_END_HEADER = 0x0000;
/** Largest chunk: a cancel takes effect at the next chunk, and lost-byte recovery fills at most one. */
export const STREAM_CHUNK_BYTES = 2048;
/** Abandons the upload. The board takes any header above STREAM_CHUNK_BYTES so: after lost bytes it reads a header from the middle of the data, and must stop rather than wait for a chunk that never comes. */
export const STREAM_ABORT_HEADER = 0xffff;
/** The byte the board's receive loop sends once it is ready for data. */
export const STREAM_READY = 'A';
export const STREAM_WINDOW_BYTES = 84;
/** Two windows plus a chunk header: what may sit unread in the board's receive buffer. */
export const STREAM_IN_FLIGHT_BYTES = 3 * STREAM_WINDOW_BYTES + 2;
export const STREAM_WINDOW_ACK = 'a';
/** Inflated bytes the board writes per step: a flash write of this much (~10 ms) stays within what the receive buffer holds. */
export const STREAM_INFLATE_STEP_BYTES = 1024;
