/**
 * The virtual board's network on the main thread: real TCP connections made
 * for the board's sockets, within what the user lets the board reach
 * (addressPolicy.ts). Answers the interpreter's requests through shared
 * memory (netProtocol.ts) and keeps each socket's readiness there, so the
 * board waits for data without asking.
 *
 * All sockets close when the board resets or stops, as a board's connections
 * die with its RAM; the host side is ended at once, so nothing leaks.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import { errorMessage } from '../../../common/util/format.js';
import { mayConnect, type NetworkReach } from './addressPolicy.js';
import {
  BOARD_ERRNO,
  GETADDRINFO_FAILED,
  MAX_SOCKETS,
  NET,
  NET_DATA_BYTES,
  NET_WORDS,
  SOCKET_CONNECTED,
  SOCKET_EOF,
  SOCKET_ERRNO_SHIFT,
  SOCKET_ERROR,
  SOCKET_OPEN,
  SOCKET_READABLE,
  TLS_ERRORS,
  type NetMessage,
  type NetRequest,
} from './netProtocol.js';

/** A blocking connect gives up after this long, about when lwIP's retries end on a board. */
const BLOCKING_CONNECT_LIMIT_MS = 20_000;
/** A name lookup gives up after this long. */
const LOOKUP_TIMEOUT_MS = 5_000;
/** How long a closed socket may take to send what it still holds before it is cut off. */
const CLOSE_LINGER_MS = 2_000;
/** Received bytes a socket holds before it stops reading from the peer (TCP then pushes back). */
const RECEIVE_HIGH_WATER = 64 * 1024;

interface BoardSocket {
  tcp: net.Socket | undefined;
  chunks: Buffer[];
  buffered: number;
  flags: number;
  errno: number;
}

export interface BoardNetOptions {
  /** The shared buffer the interpreter threads read (netProtocol.ts layout). */
  shared: SharedArrayBuffer;
  /** Wakes the interpreter thread from its wait. */
  wake(): void;
  /** What the board may reach now (the user's setting). */
  reach(): NetworkReach;
  /** A connection outside the reach was refused: the app tells the user why their program failed. */
  blocked(address: string, port: number): void;
  debug(message: string): void;
}

type Answer = [result: number, data?: Uint8Array];

/** Node's error codes as a board's lwIP reports them. */
function boardErrno(err: unknown): number {
  switch ((err as { code?: string }).code) {
    case 'ECONNREFUSED':
      return BOARD_ERRNO.ECONNREFUSED;
    case 'ECONNRESET':
    case 'EPIPE':
      return BOARD_ERRNO.ECONNRESET;
    case 'ETIMEDOUT':
      return BOARD_ERRNO.ETIMEDOUT;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return BOARD_ERRNO.EHOSTUNREACH;
    case 'ECONNABORTED':
      return BOARD_ERRNO.ECONNABORTED;
    default:
      return BOARD_ERRNO.ECONNABORTED;
  }
}

/** CA certificates as Node takes them: PEM as given, DER (what boards often keep) wrapped as PEM. */
function pemCertificates(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN')) return text;
  // 64 characters a line, and no empty line before the end (OpenSSL refuses one).
  const lines = Buffer.from(bytes).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A socket whose connection failed or ended with nothing left to read: only a close can still come. */
function isOver(socket: BoardSocket): boolean {
  return (socket.flags & (SOCKET_ERROR | SOCKET_EOF)) !== 0 && socket.buffered === 0;
}

export class BoardNet {
  private readonly words: Int32Array;
  private readonly data: Uint8Array;
  /** By id: a slot (its state word, id % MAX_SOCKETS) and a generation, so a dropped socket's id never names its successor. */
  private readonly sockets = new Map<number, BoardSocket>();
  /** The id holding each slot. */
  private readonly slots: Array<number | undefined> = new Array(MAX_SOCKETS).fill(undefined);
  private generation = 0;
  /** The newest request: only its answer is written (an abandoned one's would overwrite it). */
  private newest = 0;

  constructor(private readonly options: BoardNetOptions) {
    this.words = new Int32Array(options.shared, 0, NET_WORDS);
    this.data = new Uint8Array(options.shared, NET_WORDS * 4, NET_DATA_BYTES);
  }

  /** Sockets open now (tests check that a reset leaves none). */
  get openSockets(): number {
    return this.sockets.size;
  }

  handle({ seq, request }: NetMessage): void {
    this.newest = seq;
    this.run(request).then(
      ([result, data]) => this.answer(seq, result, data),
      (err: unknown) => {
        this.options.debug(`board network: ${request.op} failed: ${errorMessage(err)}`);
        this.answer(seq, -BOARD_ERRNO.ECONNABORTED);
      },
    );
  }

  /** The board reset or stopped: every connection ends, host side included. */
  closeAll(): void {
    for (const socket of this.sockets.values()) socket.tcp?.destroy();
    this.sockets.clear();
    this.slots.fill(undefined);
    for (let id = 0; id < MAX_SOCKETS; id++) Atomics.store(this.words, NET.SOCKET_STATE_BASE + id, 0);
    // A new interpreter numbers its requests from 1 again.
    this.newest = 0;
    Atomics.store(this.words, NET.DONE_SEQ, 0);
  }

  private answer(seq: number, result: number, data?: Uint8Array): void {
    if (seq !== this.newest) return;
    const length = data ? Math.min(data.length, NET_DATA_BYTES) : 0;
    if (data) this.data.set(data.subarray(0, length));
    Atomics.store(this.words, NET.DATA_LEN, length);
    Atomics.store(this.words, NET.RESULT, result);
    Atomics.store(this.words, NET.DONE_SEQ, seq);
    this.options.wake();
  }

  private publish(id: number, socket: BoardSocket): void {
    if (this.sockets.get(id) !== socket) return;
    Atomics.store(this.words, NET.SOCKET_STATE_BASE + (id % MAX_SOCKETS), socket.flags | (socket.errno << SOCKET_ERRNO_SHIFT));
    this.options.wake();
  }

  private run(request: NetRequest): Promise<Answer> {
    switch (request.op) {
      case 'getaddrinfo':
        return this.lookup(request.host);
      case 'open':
        return Promise.resolve(this.open());
      case 'connect':
        return this.connect(request.socket, request.address, request.port, request.timeoutMs);
      case 'send':
        return this.send(request.socket, request.data);
      case 'recv':
        return Promise.resolve(this.recv(request.socket, request.max));
      case 'close':
        return Promise.resolve(this.close(request.socket));
      case 'tls':
        return this.startTls(request);
    }
  }

  private async lookup(host: string): Promise<Answer> {
    if (net.isIPv4(host)) return [0, Buffer.from(host)];
    try {
      const found = await Promise.race([
        dns.lookup(host, { family: 4 }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS)),
      ]);
      return [0, Buffer.from(found.address)];
    } catch {
      return [GETADDRINFO_FAILED];
    }
  }

  private open(): Answer {
    let slot = this.slots.indexOf(undefined);
    if (slot < 0) {
      // Every slot taken: a program that dropped sockets without closing them (as umqtt.robust does on a
      // reconnect) gets back one whose connection is over. A board's collector closes those in the same way.
      slot = this.slots.findIndex((id) => id !== undefined && isOver(this.sockets.get(id)!));
      if (slot < 0) return [-BOARD_ERRNO.ENFILE];
      this.forget(this.slots[slot]!)?.tcp?.destroy();
    }
    const id = slot + MAX_SOCKETS * ++this.generation;
    const socket: BoardSocket = { tcp: undefined, chunks: [], buffered: 0, flags: SOCKET_OPEN, errno: 0 };
    this.sockets.set(id, socket);
    this.slots[slot] = id;
    this.publish(id, socket);
    return [id];
  }

  /** Ends a socket's connection (if any) and frees its slot. */
  private forget(id: number): BoardSocket | undefined {
    const socket = this.sockets.get(id);
    if (!socket) return undefined;
    this.sockets.delete(id);
    const slot = id % MAX_SOCKETS;
    if (this.slots[slot] === id) {
      this.slots[slot] = undefined;
      Atomics.store(this.words, NET.SOCKET_STATE_BASE + slot, 0);
    }
    return socket;
  }

  private connect(id: number, address: string, port: number, timeoutMs: number): Promise<Answer> {
    const socket = this.sockets.get(id);
    if (!socket) return Promise.resolve([-BOARD_ERRNO.EBADF]);
    if (socket.flags & SOCKET_CONNECTED) return Promise.resolve([-BOARD_ERRNO.EISCONN]);
    if (socket.tcp) return Promise.resolve([-BOARD_ERRNO.EALREADY]);
    if (!Number.isInteger(port) || port < 1 || port > 65535 || !net.isIPv4(address)) return Promise.resolve([-BOARD_ERRNO.EINVAL]);
    if (!mayConnect(address, this.options.reach())) {
      this.options.debug(`board network: a connection to ${address}:${port} was refused (the board may reach this computer and the local network)`);
      this.options.blocked(address, port);
      return Promise.resolve([-BOARD_ERRNO.EHOSTUNREACH]);
    }
    const tcp = net.connect({ host: address, port, noDelay: true });
    socket.tcp = tcp;
    const outcome = new Promise<Answer>((resolve) => {
      const limit = timeoutMs > 0 ? timeoutMs : BLOCKING_CONNECT_LIMIT_MS;
      const timer = setTimeout(() => {
        fail(BOARD_ERRNO.ETIMEDOUT);
        tcp.destroy();
      }, limit);
      const fail = (errno: number) => {
        clearTimeout(timer);
        socket.flags |= SOCKET_ERROR;
        socket.errno = errno;
        this.publish(id, socket);
        resolve([-errno]);
      };
      tcp.once('connect', () => {
        clearTimeout(timer);
        socket.flags |= SOCKET_CONNECTED;
        this.publish(id, socket);
        resolve([0]);
      });
      tcp.on('error', (err) => {
        if (socket.flags & SOCKET_CONNECTED) {
          socket.flags |= SOCKET_ERROR;
          socket.errno = boardErrno(err);
          this.publish(id, socket);
        } else fail(boardErrno(err));
      });
    });
    this.listen(id, socket, tcp);
    // Non-blocking: the board learns the outcome from the socket's state (poll for writable).
    if (timeoutMs === 0) return Promise.resolve([-BOARD_ERRNO.EINPROGRESS]);
    return outcome;
  }

  /** Received data, the peer's end and errors after connecting, into the socket's buffer and state words. */
  private listen(id: number, socket: BoardSocket, stream: net.Socket): void {
    stream.on('data', (chunk: Buffer) => {
      socket.chunks.push(chunk);
      socket.buffered += chunk.length;
      socket.flags |= SOCKET_READABLE;
      if (socket.buffered >= RECEIVE_HIGH_WATER) stream.pause();
      this.publish(id, socket);
    });
    stream.on('end', () => {
      socket.flags |= SOCKET_EOF;
      this.publish(id, socket);
    });
    stream.on('close', () => {
      socket.flags |= SOCKET_EOF;
      this.publish(id, socket);
    });
  }

  /** ssl.wrap_socket: the connection goes on in TLS; certificates checked as the board asked. */
  private startTls(request: Extract<NetRequest, { op: 'tls' }>): Promise<Answer> {
    const id = request.socket;
    const socket = this.sockets.get(id);
    if (!socket) return Promise.resolve([-BOARD_ERRNO.EBADF]);
    const raw = socket.tcp;
    if (!raw || !(socket.flags & SOCKET_CONNECTED) || socket.flags & (SOCKET_ERROR | SOCKET_EOF)) return Promise.resolve([-BOARD_ERRNO.ENOTCONN]);
    // The TLS socket reads the connection from now on; bytes already taken (none: the client speaks first in TLS) are dropped.
    raw.removeAllListeners('data');
    raw.removeAllListeners('end');
    raw.removeAllListeners('close');
    socket.chunks = [];
    socket.buffered = 0;
    socket.flags &= ~SOCKET_READABLE;
    const ca = pemCertificates(request.ca);
    const secure = tls.connect({
      socket: raw,
      ...(request.serverName !== '' && !net.isIP(request.serverName) ? { servername: request.serverName } : {}),
      // CERT_NONE and CERT_OPTIONAL go on whatever the certificate, as mbedTLS does; CERT_REQUIRED checks it against `ca`.
      rejectUnauthorized: request.verify === 2,
      checkServerIdentity: (host, cert) => (request.serverName !== '' ? tls.checkServerIdentity(request.serverName, cert) : undefined),
      ...(ca ? { ca } : {}),
      ...(request.cert.length > 0 ? { cert: Buffer.from(request.cert) } : {}),
      ...(request.key.length > 0 ? { key: Buffer.from(request.key) } : {}),
    });
    socket.tcp = secure;
    return new Promise<Answer>((resolve) => {
      const failed = (err: Error) => {
        socket.flags |= SOCKET_ERROR;
        socket.errno = BOARD_ERRNO.ECONNABORTED;
        this.publish(id, socket);
        const code = (err as { code?: string }).code ?? '';
        this.options.debug(`board network: TLS with ${request.serverName || 'the peer'} failed: ${code} ${errorMessage(err)}`);
        resolve([/CERT|SELF_SIGNED|UNABLE_TO|ALTNAME|HOSTNAME/.test(code) ? TLS_ERRORS.MBEDTLS_ERR_X509_CERT_VERIFY_FAILED : TLS_ERRORS.MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE]);
      };
      secure.once('error', failed);
      secure.once('secureConnect', () => {
        secure.off('error', failed);
        secure.on('error', (err) => {
          socket.flags |= SOCKET_ERROR;
          socket.errno = boardErrno(err);
          this.publish(id, socket);
        });
        this.listen(id, socket, secure);
        resolve([0]);
      });
    });
  }

  private send(id: number, data: Uint8Array): Promise<Answer> {
    const socket = this.sockets.get(id);
    if (!socket) return Promise.resolve([-BOARD_ERRNO.EBADF]);
    if (socket.flags & SOCKET_ERROR) return Promise.resolve([-socket.errno]);
    const tcp = socket.tcp;
    if (!tcp || !(socket.flags & SOCKET_CONNECTED)) return Promise.resolve([-BOARD_ERRNO.ENOTCONN]);
    if (socket.flags & SOCKET_EOF || tcp.destroyed) return Promise.resolve([-BOARD_ERRNO.ECONNRESET]);
    if (tcp.write(data)) return Promise.resolve([data.length]);
    // The kernel's buffer is full: the board's send blocks until it drains, as lwIP's does.
    return new Promise((resolve) => {
      const done = () => {
        tcp.off('drain', done);
        tcp.off('close', done);
        resolve(tcp.destroyed && socket.flags & SOCKET_ERROR ? [-socket.errno] : [data.length]);
      };
      tcp.on('drain', done);
      tcp.on('close', done);
    });
  }

  private recv(id: number, max: number): Answer {
    const socket = this.sockets.get(id);
    if (!socket) return [-BOARD_ERRNO.EBADF];
    if (socket.buffered === 0) {
      if (socket.flags & SOCKET_ERROR) return [-socket.errno];
      return [socket.flags & (SOCKET_EOF | SOCKET_CONNECTED) ? 0 : -BOARD_ERRNO.ENOTCONN];
    }
    const wanted = Math.min(max, NET_DATA_BYTES, socket.buffered);
    const out = new Uint8Array(wanted);
    let filled = 0;
    while (filled < wanted) {
      const chunk = socket.chunks[0]!;
      const take = Math.min(chunk.length, wanted - filled);
      out.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take === chunk.length) socket.chunks.shift();
      else socket.chunks[0] = chunk.subarray(take);
    }
    socket.buffered -= filled;
    if (socket.buffered === 0) socket.flags &= ~SOCKET_READABLE;
    if (socket.tcp?.isPaused() && socket.buffered < RECEIVE_HIGH_WATER / 2) socket.tcp.resume();
    this.publish(id, socket);
    return [filled, out];
  }

  private close(id: number): Answer {
    const socket = this.forget(id);
    const tcp = socket?.tcp;
    if (tcp && !tcp.destroyed) {
      // What the board wrote last (an MQTT DISCONNECT) still goes out, then FIN; a peer that never closes its side is cut off.
      tcp.end();
      setTimeout(() => tcp.destroy(), CLOSE_LINGER_MS).unref();
    }
    return [0];
  }
}
