/**
 * The board's side of a streamed upload: one program reads raw bytes from
 * stdin into a preallocated buffer, window by window, and writes them to the
 * file, inflating deflated chunks with DeflateIO. Ctrl-C interception is off
 * (kbd_intr(-1)) so data bytes 0x03 pass, and always restored; an unfinished
 * upload removes its file. Framing: files/streamFraming.ts.
 */
import {
  STREAM_ABORT_HEADER,
  STREAM_ACK,
  STREAM_DEFLATED_FLAG,
  STREAM_END_HEADER,
  STREAM_WINDOW_ACK,
  STREAM_WINDOW_BYTES,
} from '../files/streamFraming.js';
import { importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

/** `wbits`: the deflate window (2^wbits bytes) when chunks may come deflated, else undefined. */
export function streamReceivePy(target: string, chunkBytes: number, wbits: number | undefined): PyCode {
  const deflated = wbits !== undefined;
  const writeChunk = deflated
    ? py`
        if n&${STREAM_DEFLATED_FLAG}:
            d=deflate.DeflateIO(io.BytesIO(view[:k]),deflate.RAW,${wbits})
            while 1:
                j=d.readinto(out)
                if not j:break
                f.write(outview[:j])
            d=None
        else:f.write(view[:k])
      `
    : py`f.write(view[:k])`;
  return py`
    def _pw_receive():
        ${importPy('os')}
        import sys,micropython
        ${deflated ? py`import deflate,io` : py.empty}
        f=open(${target},"wb")
        buf=bytearray(${chunkBytes})
        view=memoryview(buf)
        head=bytearray(2)
        ${deflated ? py`out=bytearray(${chunkBytes})` : py.empty}
        ${deflated ? py`outview=memoryview(out)` : py.empty}
        read=sys.stdin.buffer.readinto
        write=sys.stdout.write
        ok=0
        micropython.kbd_intr(-1)
        try:
            write(${STREAM_ACK})
            while 1:
                read(head)
                n=head[0]|head[1]<<8
                if n==${STREAM_END_HEADER}:
                    ok=1
                    break
                if n==${STREAM_ABORT_HEADER}:break
                k=n&${STREAM_DEFLATED_FLAG - 1}
                i=0
                while i<k:
                    j=min(k,i+${STREAM_WINDOW_BYTES})
                    read(view[i:j])
                    i=j
                    if i<k:write(${STREAM_WINDOW_ACK})
                ${writeChunk}
                write(${STREAM_ACK})
        finally:
            micropython.kbd_intr(3)
            f.close()
            if not ok:os.remove(${target})
        print("ok" if ok else "aborted")
    try:_pw_receive()
    finally:del _pw_receive
  `;
}
