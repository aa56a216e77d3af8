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
            d=deflate.DeflateIO(io.BytesIO(m[:k]),deflate.RAW,${wbits})
            while 1:
                j=d.readinto(o)
                if not j:break
                f.write(om[:j])
            d=None
        else:f.write(m[:k])
      `
    : py`f.write(m[:k])`;
  // Short local names: this is the hot loop, and it goes over the wire with every upload.
  return py`
    def _pw_receive(path):
        ${importPy('os')}
        import sys,micropython${deflated ? py`,deflate,io` : py.empty}
        f=open(path,"wb")
        # b: the chunk buffer, m: a view of it; hd: the 2-byte chunk header; o, om: inflate output and its view
        b=bytearray(${chunkBytes});m=memoryview(b);hd=bytearray(2)
        ${deflated ? py`o=bytearray(${chunkBytes});om=memoryview(o)` : py.empty}
        # r: read from stdin into a buffer; w: write to stdout (acks)
        r=sys.stdin.buffer.readinto;w=sys.stdout.write;ok=0
        micropython.kbd_intr(-1)
        try:
            w(${STREAM_ACK})
            while 1:
                r(hd)
                # n: header; k: payload length; i..j: the window being read
                n=hd[0]|hd[1]<<8
                if n==${STREAM_END_HEADER}:ok=1;break
                if n==${STREAM_ABORT_HEADER}:break
                k=n&${STREAM_DEFLATED_FLAG - 1}
                i=0
                while i<k:
                    j=min(k,i+${STREAM_WINDOW_BYTES})
                    r(m[i:j])
                    i=j
                    if i<k:w(${STREAM_WINDOW_ACK})
                ${writeChunk}
                w(${STREAM_ACK})
        finally:
            micropython.kbd_intr(3)
            f.close()
            if not ok:os.remove(path)
        print("ok" if ok else "aborted")
    try:_pw_receive(${target})
    finally:del _pw_receive
  `;
}
