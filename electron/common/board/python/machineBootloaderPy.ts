/** Into the board's own bootloader (a UF2 drive on RP2 and other UF2 boards): a board that goes never answers it. */
import { py, type PyCode } from './py.js';

export function machineBootloaderPy(): PyCode {
  return py`
    import machine
    machine.bootloader()
  `;
}
