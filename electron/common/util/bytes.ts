/** Printable rendering of bytes for error messages and test failures: control bytes as \r, \n, \xNN. */
export function describeBytes(data: Uint8Array, max = 80): string {
  let s = '';
  for (const b of data.subarray(0, max)) {
    if (b === 0x0d) s += '\\r';
    else if (b === 0x0a) s += '\\n';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return data.length > max ? `${s}... (${data.length} bytes)` : s;
}
