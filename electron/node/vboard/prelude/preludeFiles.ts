/**
 * Python the virtual board installs before user code runs, so the WebAssembly
 * interpreter looks like an ESP32 to clients: a `machine` module, `os.uname()`,
 * `sys.platform == 'esp32'`, a realistic `gc.mem_free()`, a working `input()`,
 * and a runner for boot.py/main.py.
 *
 * The modules live as files in a folder the board hides from `os.listdir('/')`
 * and from flash sync: importing a real file is the only way to get genuine
 * module objects (`type(sys)(name)` is refused by this interpreter). They are
 * TypeScript string exports because the app ships only compiled JavaScript.
 *
 * Adding a module: write `prelude/<name>.ts` exporting its Python source,
 * list it in PRELUDE_FILES below, and install it in setup.ts: imported while
 * PRELUDE_DIR is on sys.path, then put into sys.modules under the name Python
 * code imports (a `_pw_` file name keeps it from shadowing a built-in module
 * until then). Functions the Python needs from the host go into the
 * `_pinwheel` bridge (worker/bridge/pinwheelModule.ts).
 */
import { BOOT_PY } from './boot.js';
import { BUILTINS_PY } from './builtins.js';
import { GC_PY } from './gc.js';
import { MACHINE_PY } from './machine.js';
import { SYS_PY } from './sys.js';
import { TIME_PY } from './time.js';

/** Hidden folder of the interpreter's file system holding the modules below. */
export const PRELUDE_DIR = '/tmp/pinwheel';

/** [file name in PRELUDE_DIR, Python source]. */
export const PRELUDE_FILES: ReadonlyArray<[string, string]> = [
  ['_pw_builtins.py', BUILTINS_PY],
  ['_pw_time.py', TIME_PY],
  ['machine.py', MACHINE_PY],
  ['_pw_sys.py', SYS_PY],
  ['_pw_gc.py', GC_PY],
  ['_pw_boot.py', BOOT_PY],
];
