/**
 * The board's side of a streamed upload (framing: files/streamFraming.ts).
 * One program reads the data from stdin a window at a time, credits each
 * window as soon as it is out of the UART buffer, and writes what it has
 * straight away, so flash writes overlap with the bytes still on the line
 * (the line stays busy; before, the board wrote a whole 8 KB chunk while the
 * line idled). Deflated uploads are one deflate stream for the whole file,
 * inflated by DeflateIO from a small io.IOBase source that reads the windows.
 * Ctrl-C interception is off (kbd_intr(-1)) so data bytes 0x03 pass, and
 * always restored; an unfinished upload removes its file.
 */
import {
  STREAM_CHUNK_BYTES,
  STREAM_READY,
  STREAM_WINDOW_ACK,
  STREAM_WINDOW_BYTES,
} from '../files/streamFraming.js';
import { importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

/**
 * `wbits`: the deflate window (2^wbits bytes) when the upload comes deflated,
 * else undefined (raw bytes). `outBytes`: inflated bytes written per step, kept
 * small so one flash write never outlasts what the UART buffer holds.
 */
export function streamReceivePy(target: string, wbits: number | undefined, outBytes: number): PyCode {
  // Short local names: this is the hot loop, and it goes over the wire with every upload.
  const body =
    wbits === undefined
      ? py`
        while 1:
            n=head()
            if not n:break
            while n:
                k=min(n,${STREAM_WINDOW_BYTES})
                r(m[:k])
                w(${STREAM_WINDOW_ACK})
                f.write(m[:k])
                n-=k
      `
      : py`
        import io,deflate
        # S: the upload as a stream; p..e: the unread part of the window in b; c: bytes left in the chunk
        class S(io.IOBase):
            def __init__(s):
                s.p=s.e=s.c=0
            def readinto(s,x):
                if s.p==s.e:
                    if not s.c:
                        s.c=head()
                        if not s.c:return 0
                    k=min(s.c,${STREAM_WINDOW_BYTES})
                    r(m[:k])
                    w(${STREAM_WINDOW_ACK})
                    s.c-=k;s.p=0;s.e=k
                # DeflateIO asks for one byte at a time: serve that without making a slice.
                if len(x)==1:
                    x[0]=b[s.p];s.p+=1
                    return 1
                j=min(len(x),s.e-s.p)
                x[:j]=m[s.p:s.p+j]
                s.p+=j
                return j
        src=S()
        d=deflate.DeflateIO(src,deflate.RAW,${wbits})
        o=bytearray(${outBytes});om=memoryview(o)
        while 1:
            j=d.readinto(o)
            if not j:break
            f.write(om[:j])
        # Inflate stops at the stream's last block: read what is left up to the end header.
        while src.readinto(o):pass
      `;
  // `ok` is set only once the end header arrived: an abort header (End) or an error leaves it 0.
  return py`
    def _pw_receive(path):
        ${importPy('os')}
        import sys,micropython
        f=open(path,"wb")
        # b, m: one window and its view; hd: a chunk header
        b=bytearray(${STREAM_WINDOW_BYTES});m=memoryview(b);hd=bytearray(2)
        # r: read from stdin into a buffer; w: write to stdout (credits)
        r=sys.stdin.buffer.readinto;w=sys.stdout.write
        class End(Exception):pass
        def head():
            r(hd)
            n=hd[0]|hd[1]<<8
            # The abort header, or a length no chunk has: the stream lost bytes (or was told to stop).
            if n>${STREAM_CHUNK_BYTES}:raise End
            return n
        ok=0
        micropython.kbd_intr(-1)
        try:
            w(${STREAM_READY})
            ${body}
            ok=1
        except End:pass
        finally:
            micropython.kbd_intr(3)
            f.close()
            if not ok:os.remove(path)
        print("ok" if ok else "aborted")
    try:_pw_receive(${target})
    finally:del _pw_receive
  `;
}
