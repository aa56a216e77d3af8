import { describe, expect, it } from 'vitest';
import { boardProfile } from '../../../electron/node/vboard/BoardProfile.js';
import { builtinsPy } from '../../../electron/node/vboard/prelude/builtins.js';
import { NOT_SIMULATED_MODULES, notSimulatedClassPy, notSimulatedMessage } from '../../../electron/node/vboard/prelude/notSimulated.js';
import { preludeFiles } from '../../../electron/node/vboard/prelude/preludeFiles.js';
import { preludeHeapBaselinePy, preludeSetupPy } from '../../../electron/node/vboard/prelude/setup.js';

const names = (profile: Parameters<typeof preludeFiles>[0]): string[] => preludeFiles(profile).map(([name]) => name);

describe('prelude per profile', () => {
  it('gives the ESP32 profile esp, esp32 and the frozen drivers, installed under their names', () => {
    const esp32 = boardProfile('esp32');
    expect(names(esp32)).toEqual(expect.arrayContaining(['_pw_esp.py', '_pw_esp32.py', '_pw_neopixel.py', '_pw_dht.py', '_pw_onewire.py', '_pw_ds18x20.py']));
    const setup = preludeSetupPy(esp32);
    // Built-in modules answer to u-names; frozen drivers are installed by a loop without them.
    expect(setup).toMatch(/\('esp32', _pw_esp32\)/);
    expect(setup).toMatch(/for name, mod in \(\('neopixel', _pw_neopixel\), \('dht', _pw_dht\), \('onewire', _pw_onewire\), \('ds18x20', _pw_ds18x20\)\):\n(?:(?! {4}sys\.modules\['u').*\n)*/);
    expect(setup).toContain('builtins.__import__ = _pw_builtins.__import__');
    expect(preludeHeapBaselinePy(esp32)).toBe("__import__('gc')._boot_done()");
  });

  it('leaves the 1.9 profile its small module set: no ESP32 modules, no not-simulated guard, true heap numbers', () => {
    const old = boardProfile('1.9-minimal');
    const files = names(old);
    expect(files.filter((f) => /esp|neopixel|dht|onewire|ds18x20/.test(f))).toEqual([]);
    expect(builtinsPy(old)).not.toContain('NotImplementedError');
    expect(preludeFiles(old).find(([n]) => n === '_pw_time.py')![1]).not.toContain('_service');
    expect(preludeHeapBaselinePy(old)).toBe('');
  });

  it('names each module the ESP32 profile does not simulate in its import guard', () => {
    const guard = builtinsPy(boardProfile('esp32'));
    for (const name of NOT_SIMULATED_MODULES) expect(guard).toContain(`'${name}'`);
    expect(notSimulatedMessage('bluetooth')).toBe('bluetooth is not simulated by the virtual board');
    expect(notSimulatedClassPy(['SDCard'])).toContain("raise NotImplementedError(\"machine.SDCard is not simulated by the virtual board\")");
  });
});
