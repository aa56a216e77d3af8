/**
 * The probe, in Python every firmware since 1.9 understands: no f-strings, `u`
 * module fallbacks (uos, uhashlib, ubinascii), every attribute guarded. One
 * line per fact, `key<TAB>value` (the features as one string of 0s and 1s),
 * parsed by BoardProbe.parseProbeOutput.
 * The feature list goes as one string (`os.stat os.rename ...`) to keep the
 * command well under the 1 KB a 10 KB heap compiles comfortably.
 */
import { py, type PyCode } from './py.js';

/** `features`: `[module, attribute]` pairs; `stdin` and `stdout` mean sys.stdin and sys.stdout. */
export function probePy(features: ReadonlyArray<readonly [string, string]>): PyCode {
  return py`
    def _pw_probe():
        import sys,gc
        def module(n):
            if n=="stdin" or n=="stdout":return getattr(sys,n,None)
            for x in (n,"u"+n):
                try:return __import__(x)
                except ImportError:pass
        impl=sys.implementation
        print("impl\t"+impl.name)
        print("ver\t"+".".join([str(x) for x in impl.version[:3]]))
        uname=None
        try:uname=module("os").uname()
        except Exception:pass
        print("vtext\t"+(uname.version if uname else getattr(sys,"version","")))
        print("mach\t"+(uname.machine if uname else getattr(impl,"_machine","")))
        print("plat\t"+sys.platform)
        gc.collect()
        print("heap\t%d"%gc.mem_free())
        # One 0/1 per feature, in the order asked: 17 lines of names were 0.4 KB more to send back.
        b=""
        for f in ${features.map(([mod, attr]) => `${mod}.${attr}`).join(' ')}.split():
            m,a=f.split(".")
            o=module(m)
            b+="%d"%(o is not None and hasattr(o,a))
        print("has\t"+b)
    try:_pw_probe()
    finally:del _pw_probe
  `;
}
