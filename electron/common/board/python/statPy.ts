/** Prints `MODE SIZE MTIME` of a path; boards with only os.size (micro:bit) print `0 SIZE 0`. */
import type { BoardFeatures } from '../BoardProbe.js';
import { importPy } from './helpers.js';
import { py, type PyCode } from './py.js';

/** Undefined when the firmware has neither os.stat nor os.size. */
export function statPy(path: string, has: BoardFeatures): PyCode | undefined {
  const print = has.stat
    ? py`
        s=os.stat(${path})
        print(s[0],s[6],s[8])
      `
    : has.size
      ? py`print(0,os.size(${path}),0)`
      : undefined;
  if (!print) return undefined;
  return py`
    def _pw_stat():
        ${importPy('os')}
        ${print}
    try:_pw_stat()
    finally:del _pw_stat
  `;
}
