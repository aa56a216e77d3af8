/** Hard reset from the board's side, for links without modem lines: the board never answers it when it works. */
import { py, type PyCode } from './py.js';

export function machineResetPy(): PyCode {
  return py`
    import machine
    machine.reset()
  `;
}
