/** Removes a write's temporary file if it is there: the clean-up after a cancelled or failed upload. */
import { importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export function discardTempPy(tempPath: string): PyCode {
  return py`
    def _pw_discard(p):
        ${importPy('os')}
        try:os.remove(p)
        except OSError:pass
    try:_pw_discard(${tempPath})
    finally:del _pw_discard
  `;
}
