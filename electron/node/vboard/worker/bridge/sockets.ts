/**
 * Bridge functions for the board's `socket` module: each operation is a
 * request the main thread carries out on a real TCP connection (BoardNet),
 * answered through shared memory while this thread waits in BoardWaiter (so
 * Ctrl-C ends any wait). Readiness (data waiting, peer closed, failed) is
 * read from the shared words without asking, so polls and reads that find
 * nothing cost no round trip.
 *
 * Bytes cross as hex strings: the sandbox passes only numbers and strings,
 * and binascii turns hex into bytes in C on the Python side.
 */
import type { BoardWaiter } from '../BoardWaiter.js';
import type { HostChannel } from '../HostChannel.js';
import {
  BOARD_ERRNO,
  NET,
  NET_DATA_BYTES,
  NET_WORDS,
  MAX_SOCKETS,
  SOCKET_EOF,
  SOCKET_ERROR,
  SOCKET_READABLE,
  NET_INTERRUPTED,
  type NetRequest,
} from '../../net/netProtocol.js';

export interface SocketBridgeContext {
  channel: HostChannel;
  waiter: BoardWaiter;
  /** The network's shared buffer (netProtocol.ts). */
  net: SharedArrayBuffer;
  /** ip, netmask, gateway, dns as the board's ifconfig() reports them once on Wi-Fi. */
  ifconfig: readonly [string, string, string, string];
}

export function socketFunctions({ channel, waiter, net, ifconfig }: SocketBridgeContext) {
  const words = new Int32Array(net, 0, NET_WORDS);
  const data = new Uint8Array(net, NET_WORDS * 4, NET_DATA_BYTES);
  let seq = 0;
  const state = (id: number): number => (Number.isInteger(id) && id >= 0 ? Atomics.load(words, NET.SOCKET_STATE_BASE + (id % MAX_SOCKETS)) : 0);

  /** Posts a request and waits for its answer: the result, or NET_INTERRUPTED. */
  const ask = (request: NetRequest): number => {
    const mine = ++seq;
    channel.post({ type: 'net', seq: mine, request });
    const end = waiter.waitUntil(Infinity, () => Atomics.load(words, NET.DONE_SEQ) === mine);
    return end === 'ready' ? Atomics.load(words, NET.RESULT) : NET_INTERRUPTED;
  };
  const answerText = (): string => Buffer.from(data.subarray(0, Atomics.load(words, NET.DATA_LEN))).toString('latin1');

  return {
    /** The address for a host name as text, or a negative error number as text. */
    sock_getaddrinfo: (host: string) => {
      if (typeof host !== 'string' || host.length === 0 || host.length > 253) return String(-BOARD_ERRNO.EINVAL);
      const result = ask({ op: 'getaddrinfo', host });
      return result < 0 ? String(result) : answerText();
    },
    sock_open: () => ask({ op: 'open' }),
    /** timeoutMs: -1 blocks, 0 connects in the background (EINPROGRESS). */
    sock_connect: (id: number, address: string, port: number, timeoutMs: number) => ask({ op: 'connect', socket: id, address: String(address), port, timeoutMs }),
    /** Sends all of `hex`'s bytes; the count, or a negative error number. */
    sock_send: (id: number, hex: string) => {
      if (typeof hex !== 'string' || hex.length % 2 !== 0) return -BOARD_ERRNO.EINVAL;
      return ask({ op: 'send', socket: id, data: new Uint8Array(Buffer.from(hex, 'hex')) });
    },
    /**
     * Up to `max` received bytes as hex ('' when the peer closed), waiting up
     * to `timeoutMs` (-1 forever, 0 not at all) for some to arrive; else a
     * negative error number as text (EAGAIN when not waiting, ETIMEDOUT).
     */
    sock_recv: (id: number, max: number, timeoutMs: number) => {
      const ready = () => (state(id) & (SOCKET_READABLE | SOCKET_EOF | SOCKET_ERROR)) !== 0;
      if (!ready()) {
        if (timeoutMs === 0) return String(-BOARD_ERRNO.EAGAIN);
        const end = waiter.waitUntil(timeoutMs < 0 ? Infinity : performance.now() + timeoutMs, ready);
        if (end === 'interrupted') return String(NET_INTERRUPTED);
        if (end === 'timeout') return String(-BOARD_ERRNO.ETIMEDOUT);
      }
      const result = ask({ op: 'recv', socket: id, max: Math.max(1, Math.min(NET_DATA_BYTES, Math.floor(max))) });
      if (result < 0) return String(result);
      return Buffer.from(data.subarray(0, result)).toString('hex');
    },
    /** The socket's SOCKET_* bits and errno (netProtocol.ts), read without asking. */
    sock_state: (id: number) => state(id),
    /** Waits until the socket's state changes from `bits` or `timeoutMs` passes; 1 when interrupted. */
    sock_wait: (id: number, bits: number, timeoutMs: number) => {
      const end = waiter.waitUntil(timeoutMs < 0 ? Infinity : performance.now() + timeoutMs, () => state(id) !== bits);
      return end === 'interrupted' ? 1 : 0;
    },
    sock_close: (id: number) => ask({ op: 'close', socket: id }),
    /** Starts TLS on a connected socket; 0, or a negative mbedTLS code or errno. Byte arguments are hex ('' when not given). */
    sock_tls: (id: number, serverName: string, verify: number, caHex: string, certHex: string, keyHex: string) => {
      const bytes = (hex: string) => new Uint8Array(typeof hex === 'string' && hex.length % 2 === 0 ? Buffer.from(hex, 'hex') : []);
      return ask({ op: 'tls', socket: id, serverName: String(serverName), verify, ca: bytes(caHex), cert: bytes(certHex), key: bytes(keyHex) });
    },
    wifi_ifconfig: () => ifconfig.join(' '),
  };
}
