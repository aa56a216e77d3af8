/**
 * The few host globals that exist identically in Node, browsers and workers.
 * The common layer compiles without DOM and Node types so that it cannot reach
 * for fs, window or process by accident; these declarations are all it gets.
 */
type TimerHandle = { readonly __timerHandle?: never } | number;
declare function setTimeout(callback: () => void, ms?: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle | undefined): void;
declare function setInterval(callback: () => void, ms?: number): TimerHandle;
declare function clearInterval(handle: TimerHandle | undefined): void;
declare function queueMicrotask(callback: () => void): void;

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare var AbortSignal: {
  prototype: AbortSignal;
  timeout(ms: number): AbortSignal;
  any(signals: AbortSignal[]): AbortSignal;
};
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { prototype: AbortController; new (): AbortController };

interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
interface TextDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: { fatal?: boolean }): TextDecoder;
};

declare function btoa(data: string): string;
declare function atob(data: string): string;

/** WHATWG URL parsing (package addresses): the same in Node, browsers and workers. */
interface URL {
  readonly href: string;
  readonly protocol: string;
  readonly host: string;
  readonly pathname: string;
}
declare var URL: { prototype: URL; new (url: string, base?: string): URL };
