import { describe, expect, it } from 'vitest';
import { BoardError, BoardExecError, parseErrno } from '../../../electron/common/board/BoardError.js';
import { ApiError } from '../../../electron/common/api/errors.js';

describe('errno parsing', () => {
  it('reads both firmware forms and symbolic names', () => {
    expect(parseErrno('Traceback (most recent call last):\r\n  File "<stdin>", line 1\r\nOSError: [Errno 2] ENOENT\r\n')).toBe(2);
    expect(parseErrno('OSError: [Errno 17] EEXIST')).toBe(17);
    expect(parseErrno('Traceback (most recent call last):\n  File "<stdin>", line 1\nOSError: 2\n')).toBe(2);
    expect(parseErrno('OSError: -28')).toBe(28);
    expect(parseErrno('OSError: ENOSPC')).toBe(28);
    expect(parseErrno('uos.OSError: [Errno 13] EACCES')).toBe(13);
    expect(parseErrno('OSError: [Errno 2] No such file or directory')).toBe(2);
  });

  it('finds nothing where there is no errno', () => {
    expect(parseErrno('MemoryError: memory allocation failed')).toBeUndefined();
    expect(parseErrno('OSError: timed out somehow')).toBeUndefined();
    expect(parseErrno('')).toBeUndefined();
    // Only the last OSError line counts (the one that was raised).
    expect(parseErrno('OSError: [Errno 2] ENOENT\nDuring handling...\nValueError: x')).toBe(2);
  });
});

describe('error classes at the API boundary', () => {
  it('map to API codes through apiCode', () => {
    expect(ApiError.toShape(new BoardError('TIMEOUT', 't')).code).toBe('TIMEOUT');
    expect(ApiError.toShape(new BoardError('CANCELLED', 'c')).code).toBe('CANCELLED');
    expect(ApiError.toShape(new BoardError('LINK_LOST', 'l')).code).toBe('DISCONNECTED');
    expect(ApiError.toShape(new BoardError('NOT_FOUND', 'n')).code).toBe('NOT_FOUND');
    expect(ApiError.toShape(new BoardError('BUSY', 'b')).code).toBe('BUSY');
    expect(ApiError.toShape(new BoardError('PROTOCOL', 'p')).code).toBe('INTERNAL');
    expect(ApiError.toShape(new BoardExecError('OSError: [Errno 2] ENOENT\r\n')).code).toBe('NOT_FOUND');
    expect(ApiError.toShape(new BoardExecError('OSError: [Errno 13] EACCES\r\n')).code).toBe('PERMISSION');
    const e = new BoardExecError('Traceback (most recent call last):\r\nValueError: bad\r\n');
    expect(ApiError.toShape(e)).toEqual({ name: 'ApiError', code: 'INTERNAL', message: 'ValueError: bad' });
  });
});
