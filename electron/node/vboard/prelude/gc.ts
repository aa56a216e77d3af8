/** The board's `gc` module: the real one, with a heap the size of a plain ESP32's. */
import { BOARD_HEAP_BYTES } from './boardSpec.js';

export const GC_PY = `
from gc import *
from gc import mem_alloc as _mem_alloc


def mem_free():
    return max(0, ${BOARD_HEAP_BYTES} - _mem_alloc())
`;
