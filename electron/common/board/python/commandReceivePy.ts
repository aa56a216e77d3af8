/**
 * The board's side of a command-based upload, for firmware without a usable
 * stdin: one command opens the file and defines `_pw_put` (and
 * `_pw_put_deflated`), each following command carries one piece, and a last
 * one closes the file (or, on failure, also removes it). These globals live
 * between commands, so they are `_pw_`-prefixed and deleted at the end.
 */
import { importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

/** How pieces travel: a bytes literal as is, or base64 text (optionally of deflated data). */
export type PieceEncoding = 'repr' | 'base64';

export interface CommandReceiver {
  target: string;
  encoding: PieceEncoding;
  /** Deflate window bits and the inflate buffer size, when pieces may come deflated (base64 only). */
  deflate: { wbits: number; bufferBytes: number } | undefined;
}

function globalsOf(receiver: CommandReceiver): PyCode {
  return py.raw(receiver.deflate ? '_pw_file,_pw_put,_pw_put_deflated' : '_pw_file,_pw_put');
}

export function commandOpenPy(receiver: CommandReceiver): PyCode {
  const { target, encoding, deflate } = receiver;
  const base64 = encoding === 'base64';
  const putDeflated = deflate
    ? py`
        out=bytearray(${deflate.bufferBytes})
        def put_deflated(data):
            d=deflate.DeflateIO(io.BytesIO(binascii.a2b_base64(data)),deflate.RAW,${deflate.wbits})
            while 1:
                n=d.readinto(out)
                if not n:break
                f.write(memoryview(out)[:n])
        _pw_put_deflated=put_deflated
      `
    : py.empty;
  return py`
    def _pw_open():
        global ${globalsOf(receiver)}
        ${base64 ? importPy('binascii') : py.empty}
        ${deflate ? py`import deflate,io` : py.empty}
        f=open(${target},"wb")
        _pw_file=f
        def put(data):
            f.write(${base64 ? py`binascii.a2b_base64(data)` : py`data`})
        _pw_put=put
        ${putDeflated}
    try:_pw_open()
    finally:del _pw_open
  `;
}

/** One piece: base64 text as ASCII bytes, or the file's bytes themselves for 'repr'. */
export function commandPiecePy(piece: Uint8Array, deflated: boolean): PyCode {
  return deflated ? py`_pw_put_deflated(${piece})` : py`_pw_put(${piece})`;
}

export function commandClosePy(receiver: CommandReceiver): PyCode {
  return py`
    _pw_file.close()
    del ${globalsOf(receiver)}
  `;
}

/** After a failure: no open handle and (when `removeTarget`) no half-written file stay behind. */
export function commandAbortPy(receiver: CommandReceiver, removeTarget: boolean): PyCode {
  return py`
    def _pw_abort():
        ${importPy('os')}
        _pw_file.close()
        ${removeTarget ? py`os.remove(${receiver.target})` : py.empty}
    try:_pw_abort()
    finally:del _pw_abort,${globalsOf(receiver)}
  `;
}
