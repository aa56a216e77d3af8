/**
 * The one error type that crosses the API boundary. Services throw it (or any
 * Error, which becomes INTERNAL); the hosts serialise it as `{name, code, message}`
 * and the client rebuilds it, so the renderer can branch on `code`, never on text.
 */
export const API_ERROR_CODES = [
  'BAD_REQUEST', // the message or its params failed validation
  'UNKNOWN_METHOD', // no such call in the contract
  'CANCELLED', // the caller cancelled the call
  'TIMEOUT', // the call or a wait inside it ran out of time
  'DISCONNECTED', // the transport to the host went away
  'NOT_FOUND',
  'BUSY',
  'PERMISSION',
  'INTERNAL',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorShape {
  name: string;
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  toShape(): ApiErrorShape {
    return { name: this.name, code: this.code, message: this.message };
  }

  static fromShape(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message);
  }

  /** Turns anything thrown by a handler into the shape sent over the wire. */
  static toShape(err: unknown): ApiErrorShape {
    if (err instanceof ApiError) return err.toShape();
    const coded = err as { apiCode?: unknown; message?: unknown } | null;
    if (coded && typeof coded.apiCode === 'string' && (API_ERROR_CODES as readonly string[]).includes(coded.apiCode)) {
      return { name: 'ApiError', code: coded.apiCode as ApiErrorCode, message: String(coded.message ?? '') };
    }
    const message = err instanceof Error ? err.message : String(err);
    return { name: 'ApiError', code: 'INTERNAL', message };
  }
}
