/**
 * The board's `gc` module, by heap model:
 * - a growing heap: the real module, with mem_free() of a plain ESP32's heap
 *   (the interpreter's own counts the 128 MB it may still add), and
 *   mem_alloc() counting from what a fresh board holds: the prelude's modules
 *   are built into a board's flash and take none of its heap, so their
 *   allocation at boot is replaced by the profile's (setup.ts calls _boot_done);
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
from gc import mem_alloc as _mem_alloc, collect as _collect

_offset = [0]


def _boot_done():
    _collect()
    _offset[0] = _mem_alloc() - ${heap.bootAllocBytes}


def mem_alloc():
    return max(0, _mem_alloc() - _offset[0])


def mem_free():
    return max(0, ${heap.reportedBytes} - mem_alloc())
`;
}
