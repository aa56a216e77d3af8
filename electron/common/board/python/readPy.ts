/**
 * Reads a file: first its size on a line of its own, then the data a piece
 * per line, as base64 where the firmware has b2a_base64, else as the bytes'
 * repr (1.9-era boards).
 */
import type { BoardFeatures } from '../BoardProbe.js';
import { importPy, sizeOfPy } from './helpers.js';
import { py, type PyCode } from './py.js';

export function readPy(path: string, pieceBytes: number, base64: boolean, has: BoardFeatures): PyCode {
  const printPiece = base64 ? py`print(binascii.b2a_base64(b).decode().strip())` : py`print(repr(b))`;
  return py`
    def _pw_read(path):
        ${importPy('os')}
        ${base64 ? importPy('binascii') : py.empty}
        ${sizeOfPy(py`path`, has)}
        print(s)
        f=open(path,"rb")
        try:
            while 1:
                b=f.read(${pieceBytes})
                if not b:break
                ${printPiece}
        finally:
            f.close()
    try:_pw_read(${path})
    finally:del _pw_read
  `;
}
