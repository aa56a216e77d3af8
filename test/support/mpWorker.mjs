// A MicroPython interpreter (the official WebAssembly build) in a worker thread,
// used by FakeBoard to run the engine's board-side code for real. stdin blocks
// on a SharedArrayBuffer ring the main thread fills, so a program can wait for
// the host's next chunk exactly as on a board. Errno numbers are mapped from
// Emscripten's to MicroPython's, as a real board reports them.
import { parentPort, workerData } from 'node:worker_threads';

const { loadMicroPython } = await import(workerData.mjsUrl);
const ctrl = new Int32Array(workerData.sab, 0, 2); // [bytes written by host, bytes read by board]
const ring = new Uint8Array(workerData.sab, 8);
const STDIN_WAIT_MS = 5000;

let out = [];
const flush = () => {
  if (out.length) {
    parentPort.postMessage({ t: 'out', data: Uint8Array.from(out) });
    out = [];
  }
};
const collect = (b) => {
  if (typeof b === 'number') out.push(b);
  else for (const x of b) out.push(x);
  if (out.length >= 1024) flush();
};

const mp = await loadMicroPython({
  linebuffer: false,
  heapsize: 4 * 1024 * 1024,
  stdout: collect,
  stderr: collect,
  stdin: () => {
    flush();
    const r = Atomics.load(ctrl, 1);
    while (Atomics.load(ctrl, 0) === r) {
      if (Atomics.wait(ctrl, 0, r, STDIN_WAIT_MS) === 'timed-out' && Atomics.load(ctrl, 0) === r) return null;
    }
    const b = ring[r % ring.length];
    Atomics.store(ctrl, 1, r + 1);
    return b;
  },
});

mp.runPython(`
import sys, io
_pw_errno = {44: 2, 20: 17, 54: 20, 31: 21, 55: 39, 28: 22}
def _pw_run(src):
    try:
        exec(src, _pw_g)
    except BaseException as e:
        if isinstance(e, OSError) and e.args and e.args[0] in _pw_errno:
            e = OSError(_pw_errno[e.args[0]])
        s = io.StringIO()
        sys.print_exception(e, s)
        return s.getvalue()
    return ''
_pw_g = {'__name__': '__main__'}
`);
const run = mp.globals.get('_pw_run');

parentPort.on('message', (msg) => {
  if (msg.t === 'run') {
    let err;
    try {
      err = run(msg.code);
    } catch (e) {
      err = String(e && e.message ? e.message : e);
    }
    flush();
    parentPort.postMessage({ t: 'done', stderr: String(err ?? '') });
  } else if (msg.t === 'reset') {
    mp.runPython("_pw_g.clear(); _pw_g['__name__'] = '__main__'");
    parentPort.postMessage({ t: 'reset' });
  } else if (msg.t === 'files') {
    const FS = mp.FS;
    const read = (p) => { try { return FS.readFile(p); } catch { return null; } };
    parentPort.postMessage({ t: 'files', files: Object.fromEntries(msg.paths.map((p) => [p, read(p)])) });
  }
});
parentPort.postMessage({ t: 'ready' });
