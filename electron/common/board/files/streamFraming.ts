/**
 * The framing of a streamed upload, shared by the host (streamUpload.ts) and
 * the board's receive loop (python/streamReceivePy.ts). Each chunk is a 2-byte
 * little-endian header (its length, high bit set when deflated) and its
 * payload; the board answers STREAM_ACK when it is ready for the next one.
 */

export const STREAM_DEFLATED_FLAG = 0x8000;
export const STREAM_END_HEADER = 0x0000;
export const STREAM_ABORT_HEADER = 0xffff;
/** The byte the board's receive loop sends when it is ready for the next chunk. */
export const STREAM_ACK = 'A';
/**
 * Within a chunk the board reads this many bytes at a time and credits each
 * window it has taken (but the last) with STREAM_WINDOW_ACK; the host keeps
 * at most STREAM_WINDOWS_IN_FLIGHT windows (plus the 2-byte header) unread,
 * which fits an ESP32's 256-byte UART receive buffer. Without it an 8 KB chunk
 * was sent in one go, and a board held up for longer than its buffer lasts
 * (22 ms at 115200 baud) in the middle of a chunk lost bytes silently, after
 * which the upload stalled until the ack timed out.
 */
export const STREAM_WINDOW_BYTES = 112;
export const STREAM_WINDOWS_IN_FLIGHT = 2;
export const STREAM_WINDOW_ACK = 'a';
