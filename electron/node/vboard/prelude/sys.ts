/**
 * The board's `sys` module: built from the real one, plus what the board
 * reports. (sys.path, ps1, ps2 and tracebacklimit are not in its dict: they
 * are reached through __getattr__.) A board without stdio (the micro:bit) has
 * no sys.stdin, sys.stdout or sys.stderr; the prelude's own input() still
 * reads the real stdin.
 */
import type { BoardProfile } from '../BoardProfile.js';

const STDIO_NAMES = "('stdin', 'stdout', 'stderr')";

export function sysPy({ stdio, firmware }: BoardProfile): string {
  const lines = ['import sys as _sys', 'from sys import *', "platform = 'esp32'"];
  if (firmware) lines.push(`version = ${JSON.stringify(firmware.pythonVersion)}`);
  if (stdio) {
    lines.push('', '', 'def __getattr__(name):', '    return getattr(_sys, name)');
  } else {
    lines.push('del stdin, stdout, stderr', '', '', 'def __getattr__(name):', `    if name in ${STDIO_NAMES}:`, '        raise AttributeError(name)', '    return getattr(_sys, name)');
  }
  return `\n${lines.join('\n')}\n`;
}
