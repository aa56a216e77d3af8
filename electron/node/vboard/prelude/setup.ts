/**
 * The Python that installs the prelude modules (see preludeFiles.ts) at
 * start-up, as the board's profile asks, and the one that runs a start-up
 * script of the flash.
 */
import type { BoardProfile } from '../BoardProfile.js';
import { importHiddenPy, PRELUDE_DIR } from './preludeFiles.js';

const INDENT = '    ';

/** What sys.implementation and os.uname() say: the interpreter's own version, or the profile's firmware. */
function identityPy({ firmware, machine }: BoardProfile): string[] {
  const board = JSON.stringify(machine);
  if (!firmware) {
    return [
      "ver = sys.version.split('MicroPython ')[-1]",
      'impl = sys.implementation',
      "Impl = namedtuple('implementation', ('name', 'version', '_machine', '_mpy'))",
      `_pw_sys.implementation = Impl(impl.name, impl.version, ${board}, impl._mpy)`,
      "Uname = namedtuple('uname_result', ('sysname', 'nodename', 'release', 'version', 'machine'))",
      `_pw_builtins.set_uname(Uname('esp32', 'esp32', ver.split(' ')[0][1:], ver, ${board}))`,
    ];
  }
  const version = `(${firmware.release.split('.').map(Number).join(', ')})`;
  return [
    // 1.9 had neither _machine nor _mpy. Its attrtuples print without a type name: "(name='micropython', ...)".
    "Impl = namedtuple('', ('name', 'version'))",
    `_pw_sys.implementation = Impl('micropython', ${version})`,
    "Uname = namedtuple('', ('sysname', 'nodename', 'release', 'version', 'machine'))",
    `_pw_builtins.set_uname(Uname('esp32', 'esp32', ${JSON.stringify(firmware.release)}, ${JSON.stringify(firmware.build)}, ${board}))`,
  ];
}

/**
 * Installs the modules. Runs in __main__ but leaves no names behind (a fresh
 * board's dir() shows only __name__).
 */
export function preludeSetupPy(profile: BoardProfile): string {
  const flat = profile.filesystem === 'flat';
  const network = profile.networkModules ? ['network', 'socket', 'ssl'] : [];
  const esp32 = profile.machineModule === 'esp32';
  // Built into the firmware (and answering to their u-names too) ...
  const modules = ['time', 'machine', 'sys', 'gc', ...(esp32 ? ['esp', 'esp32'] : []), ...network, ...(flat ? ['os'] : [])];
  // ... and frozen Python drivers, which have no u-names.
  const drivers = esp32 ? ['neopixel', 'dht', 'onewire', 'ds18x20'] : [];
  const imported = [...modules, ...drivers].filter((m) => m !== 'time' && m !== 'machine');
  const guarded = profile.missingModules.length > 0 || esp32;
  const body = [
    'import sys, os, builtins',
    'from collections import namedtuple',
    // This interpreter collects garbage only when control returns to the host, and only when an
    // allocation asked for it: with a threshold of 0 every allocation asks, so a fixed heap is
    // cleaned after every command instead of running out with garbage in it.
    ...(profile.heap.kind === 'fixed' ? ['import gc', 'gc.threshold(0)'] : []),
    `sys.path.insert(0, '${PRELUDE_DIR}')`,
    'try:',
    `${INDENT}import _pw_time`,
    `${INDENT}sys.modules['time'] = _pw_time`,
    `${INDENT}import machine, _pw_builtins${imported.map((m) => `, _pw_${m}`).join('')}`,
    `${INDENT}sys.modules.pop('_pw_builtins')`,
    'finally:',
    `${INDENT}sys.path.remove('${PRELUDE_DIR}')`,
    `for name, mod in (${modules.map((m) => `('${m}', ${m === 'machine' ? m : `_pw_${m}`})`).join(', ')}):`,
    `${INDENT}mod.__name__ = name`,
    `${INDENT}del mod.__file__`,
    `${INDENT}sys.modules.pop('_pw_' + name, None)`,
    `${INDENT}sys.modules[name] = mod`,
    `${INDENT}# A board also answers 'import utime' (the u-prefix fallback), with the same module.`,
    `${INDENT}sys.modules['u' + name] = mod`,
    ...(drivers.length > 0
      ? [
          `for name, mod in (${drivers.map((m) => `('${m}', _pw_${m})`).join(', ')}):`,
          `${INDENT}mod.__name__ = name`,
          `${INDENT}del mod.__file__`,
          `${INDENT}sys.modules.pop('_pw_' + name, None)`,
          `${INDENT}sys.modules[name] = mod`,
        ]
      : []),
    ...identityPy(profile),
    ...(flat
      ? ['builtins.open = _pw_builtins.open']
      : ['_pw_builtins.real_statvfs = os.statvfs', 'os.uname = _pw_builtins.uname', 'os.statvfs = _pw_builtins.statvfs']),
    ...(guarded ? ['builtins.__import__ = _pw_builtins.__import__'] : []),
    'builtins.input = _pw_builtins.input',
  ];
  return `
def _pw_setup():
${body.map((line) => INDENT + line).join('\n')}

_pw_setup()
del _pw_setup
`;
}

/**
 * Run after the setup, in a call of its own (a collection inside the setup's
 * call frees less): what the prelude holds from now on is the board's, not
 * the program's (gc.ts). Empty for a fixed heap, whose numbers are true.
 */
export function preludeHeapBaselinePy(profile: BoardProfile): string {
  return profile.heap.kind === 'grows' ? "__import__('gc')._boot_done()" : '';
}

/** Python that runs one start-up script (boot.py, main.py) of the flash. */
export function runScriptPy(path: 'boot.py' | 'main.py'): string {
  return `
def _pw_run():
${importHiddenPy('_pw_boot')}
    _pw_boot.run(${JSON.stringify(path)})

_pw_run()
del _pw_run
`;
}
