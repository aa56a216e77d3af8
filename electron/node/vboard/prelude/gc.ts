/**
 * The board's `gc` module, by heap model:
 * - a growing heap: the real module, with mem_free() of a plain ESP32's heap
 *   (the interpreter's own counts the 128 MB it may still add);
 * - a fixed heap: the real mem_free() (its heap cannot grow, so the number is
 *   true), and a collect() that collects now: the interpreter alone only
 *   collects when control returns to the host (worker/HeapCollector.ts). No
 *   threshold(): the board relies on collecting after every command.
 */
import type { BoardProfile } from '../BoardProfile.js';

export function gcPy({ heap }: BoardProfile): string {
  if (heap.kind === 'fixed') {
    return `
from gc import collect as _collect, mem_alloc, mem_free, enable, disable, isenabled
import _pinwheel


def collect():
    _collect()
    _pinwheel.collect()
`;
  }
  return `
from gc import *
from gc import mem_alloc as _mem_alloc


def mem_free():
    return max(0, ${heap.reportedBytes} - _mem_alloc())
`;
}
