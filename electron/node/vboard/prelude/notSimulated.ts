/**
 * What the virtual board does not model (radio, camera, storage cards, audio,
 * the ULP): code that uses it fails with NotImplementedError saying so,
 * rather than an ImportError a user would take for a missing firmware module.
 * Modules fail on import (the import guard, builtins.ts); classes inside
 * modelled modules fail when constructed.
 */

/** Modules an ESP32 firmware has that the virtual board does not simulate. */
export const NOT_SIMULATED_MODULES = ['bluetooth', 'ubluetooth', 'aioble', 'espnow', 'aioespnow', 'camera'] as const;

/** The error's text, for a module or a class ('machine.SDCard'). */
export function notSimulatedMessage(name: string): string {
  return `${name} is not simulated by the virtual board`;
}

/** Python for classes of the current module whose constructor raises NotImplementedError. */
export function notSimulatedClassPy(classNames: readonly string[], modulePrefix = 'machine.'): string {
  return classNames
    .map(
      (name) => `

class ${name}:
    def __init__(self, *args, **kw):
        raise NotImplementedError(${JSON.stringify(notSimulatedMessage(modulePrefix + name))})
`,
    )
    .join('');
}
