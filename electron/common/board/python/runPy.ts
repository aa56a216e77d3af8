/**
 * Runs the user's program under its file name: the source goes as a string
 * literal and is compiled on the board as `name`, so a traceback says
 * `File "main.py", line 3` with the program's own line numbers. It runs in the
 * REPL's globals, as source sent as it is would: `__name__` is `__main__` and
 * what it defines stays for the REPL. `compile` is optional in MicroPython
 * builds; firmware without it runs the source string itself (its tracebacks
 * say `<string>`). Nothing is defined, so nothing is left in the globals.
 *
 * One line, so the frame it adds to every traceback is always RUN_WRAPPER_FRAME.
 */
import { py, type PyCode } from './py.js';

/** The traceback entry of runPy's own frame (the raw REPL names every command `<stdin>`). */
export const RUN_WRAPPER_FRAME = '  File "<stdin>", line 1, in <module>';

export function runPy(source: string, name: string): PyCode {
  return py`exec(getattr(__import__("builtins"),"compile",lambda s,n,m:s)(${source},${name},"exec"),globals())`;
}
