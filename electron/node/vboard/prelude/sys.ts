/**
 * The board's `sys` module: built from the real one, plus what an ESP32
 * reports. (sys.path, ps1, ps2 and tracebacklimit are not in its dict: they
 * are reached through __getattr__.)
 */
export const SYS_PY = `
import sys as _sys
from sys import *
platform = 'esp32'


def __getattr__(name):
    return getattr(_sys, name)
`;
