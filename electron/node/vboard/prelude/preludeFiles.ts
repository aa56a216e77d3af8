/**
 * Python the virtual board installs before user code runs, so the WebAssembly
 * interpreter looks like the board its profile describes (BoardProfile.ts): a
 * `machine` module, `os.uname()`, `sys.platform == 'esp32'`, a realistic
 * `gc.mem_free()`, a working `input()`, a runner for boot.py/main.py, and on
 * the 1.9 profile its smaller `os`, flat filesystem and missing modules.
 *
 * The modules live as files in a folder the board hides from `os.listdir('/')`
 * and from flash sync: importing a real file is the only way to get genuine
 * module objects (`type(sys)(name)` is refused by this interpreter). They are
 * TypeScript string exports because the app ships only compiled JavaScript.
 *
 * Adding a module: write `prelude/<name>.ts` exporting its Python source,
 * list it in preludeFiles below, and install it in setup.ts: imported while
 * PRELUDE_DIR is on sys.path, then put into sys.modules under the name Python
 * code imports (a `_pw_` file name keeps it from shadowing a built-in module
 * until then). Functions the Python needs from the host go into the
 * `_pinwheel` bridge (worker/bridge/pinwheelModule.ts).
 */
import type { BoardProfile } from '../BoardProfile.js';
import { BOOT_PY } from './boot.js';
import { builtinsPy } from './builtins.js';
import { DHT_PY } from './dht.js';
import { DS18X20_PY } from './ds18x20.js';
import { ESP_PY } from './esp.js';
import { ESP32_PY } from './esp32.js';
import { gcPy } from './gc.js';
import { MACHINE_PY } from './machine.js';
import { MINIMAL_MACHINE_PY } from './machineMinimal.js';
import { NEOPIXEL_PY } from './neopixel.js';
import { NETWORK_PY } from './network.js';
import { ONEWIRE_PY } from './onewire.js';
import { PARTS_PY } from './partModels.js';
import { SOCKET_PY } from './socket.js';
import { SSL_PY } from './ssl.js';
import { sysPy } from './sys.js';
import { timePy } from './time.js';

/** Hidden folder of the interpreter's file system holding the modules below. */
export const PRELUDE_DIR = '/tmp/pinwheel';

/** The flat filesystem's `os`: exactly the four functions, so dir(os) shows nothing else. */
const FLAT_OS_PY = '\nfrom _pw_builtins import listdir, remove, size, uname\n';

/**
 * Python lines, for the body of a function (indented 4), that import the
 * hidden prelude file `module` (as `alias`) and leave neither PRELUDE_DIR on
 * sys.path nor the module in sys.modules: user code never finds either.
 */
export function importHiddenPy(module: string, alias = module): string {
  return `    import sys
    sys.path.insert(0, '${PRELUDE_DIR}')
    try:
        import ${module}${alias === module ? '' : ` as ${alias}`}
    finally:
        sys.path.remove('${PRELUDE_DIR}')
        sys.modules.pop('${module}', None)`;
}

/** [file name in PRELUDE_DIR, Python source] for a profile. */
export function preludeFiles(profile: BoardProfile): Array<[string, string]> {
  const files: Array<[string, string]> = [
    ['_pw_builtins.py', builtinsPy(profile)],
    ['_pw_time.py', timePy(profile)],
    ['machine.py', profile.machineModule === 'esp32' ? MACHINE_PY : MINIMAL_MACHINE_PY],
    ['_pw_sys.py', sysPy(profile)],
    ['_pw_gc.py', gcPy(profile)],
    ['_pw_boot.py', BOOT_PY],
  ];
  if (profile.machineModule === 'esp32') {
    files.push(['_pw_esp.py', ESP_PY], ['_pw_esp32.py', ESP32_PY]);
    files.push(['_pw_neopixel.py', NEOPIXEL_PY], ['_pw_dht.py', DHT_PY], ['_pw_onewire.py', ONEWIRE_PY], ['_pw_ds18x20.py', DS18X20_PY]);
    files.push(['_pw_parts.py', PARTS_PY]);
  }
  if (profile.networkModules) files.push(['_pw_network.py', NETWORK_PY], ['_pw_socket.py', SOCKET_PY], ['_pw_ssl.py', SSL_PY]);
  if (profile.filesystem === 'flat') files.push(['_pw_os.py', FLAT_OS_PY]);
  return files;
}
