/**
 * What the virtual board says about itself: the name in its banner and
 * `os.uname()`, and the heap and flash sizes an ESP32 reports. Shared by the
 * prelude modules and the worker's output and flash code.
 */

export const BOARD_NAME = 'Pinwheel virtual board with ESP32';

/** Realistic heap of a plain ESP32 (no PSRAM): what gc.mem_free() + gc.mem_alloc() add up to. */
export const BOARD_HEAP_BYTES = 111_168;

/** The flash partition the board reports through os.statvfs(): 2 MB of 4 KB blocks. */
export const FLASH_BLOCK_BYTES = 4096;
export const FLASH_BLOCKS = 512;
