/**
 * Prints the names `dir(expr)` finds, for editor completion. A function keeps
 * the lookup out of the REPL's globals; a module not yet imported is imported
 * by name. Prints nothing when the expression leads nowhere.
 */
import { py, type PyCode } from './py.js';

/** Dotted Python names only (`machine.Pin`): nothing else is ever sent as code. */
export const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Undefined when `expr` is not a dotted name. */
export function completionPy(expr: string): PyCode | undefined {
  if (!DOTTED_NAME.test(expr)) return undefined;
  const [root, ...attributes] = expr.split('.');
  return py`
    def _pw_complete():
        try:return ${py.raw(expr)}
        except NameError:pass
        o=__import__(${root!})
        for a in ${attributes}:o=getattr(o,a)
        return o
    try:print(" ".join(dir(_pw_complete())))
    except Exception:pass
    finally:del _pw_complete
  `;
}
