import { describe, expect, it } from 'vitest';
import { boardBasename, boardDirname, joinBoardPath, normalizeBoardPath, pathFromBoard, pathOnBoard, safeLocalPath } from '../../../electron/common/board/boardPath.js';
import { tempPathFor } from '../../../electron/common/board/files/BoardFiles.js';

describe('safeLocalPath', () => {
  it('keeps ordinary paths, relative', () => {
    expect(safeLocalPath('/lib/umqtt/simple.py')).toBe('lib/umqtt/simple.py');
    expect(safeLocalPath('main.py')).toBe('main.py');
    expect(safeLocalPath('/café ✓/ü.py')).toBe('café ✓/ü.py');
  });

  it('never climbs out of the chosen folder', () => {
    expect(safeLocalPath('../../etc/passwd')).toBe('etc/passwd');
    expect(safeLocalPath('/lib/../../../x')).toBe('x');
    expect(safeLocalPath('a/./b/../c')).toBe('a/c');
    expect(safeLocalPath('..\\..\\windows\\system32')).toBe('windows/system32');
    expect(safeLocalPath('a/..../b')).toBe('a/____/b');
  });

  it('neutralises absolute paths, drive letters, UNC, NUL and control characters', () => {
    expect(safeLocalPath('C:\\Users\\x')).toBe('C_/Users/x');
    expect(safeLocalPath('C:x')).toBe('C_x');
    expect(safeLocalPath('\\\\server\\share\\f')).toBe('server/share/f');
    expect(safeLocalPath('/ok\0.py/../evil')).toBe('evil');
    expect(safeLocalPath('a\0b\x1bc.py')).toBe('a_b_c.py');
    expect(safeLocalPath('what?<>|*".txt')).toBe('what______.txt');
  });

  it('renames names Windows reserves or would silently change', () => {
    expect(safeLocalPath('con')).toBe('_con');
    expect(safeLocalPath('lib/NUL.txt')).toBe('lib/_NUL.txt');
    expect(safeLocalPath('COM1.py')).toBe('_COM1.py');
    expect(safeLocalPath('trailing. ')).toBe('trailing__');
    expect(safeLocalPath('. .')).toBe('___');
  });

  it('refuses paths that name nothing', () => {
    for (const p of ['', '/', '..', '../..', './.', '\\']) expect(() => safeLocalPath(p)).toThrow(/does not name a file/);
  });

  it('always yields segments that stay inside the folder', () => {
    const nasty = ['../a', '/../../b', 'c/../../../x', 'd\\..\\..\\e', '....//....//f', '/..\0/g', ' ../h'];
    for (const p of nasty) {
      const out = safeLocalPath(p);
      expect(out.startsWith('/')).toBe(false);
      for (const seg of out.split('/')) {
        expect(seg).not.toBe('..');
        expect(seg).not.toBe('.');
        expect(seg).not.toBe('');
        expect(seg).not.toMatch(/[\0\\:]/);
      }
    }
  });
});

describe('board paths', () => {
  it('normalises and joins', () => {
    expect(normalizeBoardPath('//lib//x/./y/../z/')).toBe('/lib/x/z');
    expect(normalizeBoardPath('/..')).toBe('/');
    expect(normalizeBoardPath('a/b')).toBe('a/b');
    expect(joinBoardPath('/', 'main.py')).toBe('/main.py');
    expect(joinBoardPath('/lib', 'x.py')).toBe('/lib/x.py');
    expect(joinBoardPath('', 'x.py')).toBe('x.py');
    expect(boardDirname('/lib/x.py')).toBe('/lib');
    expect(boardDirname('/x.py')).toBe('/');
    expect(boardDirname('x.py')).toBe('');
    expect(boardBasename('/lib/x.py')).toBe('x.py');
    expect(() => normalizeBoardPath('a\0b')).toThrow(/NUL/);
  });

  it('puts the temporary file next to the target', () => {
    expect(tempPathFor('/lib/x.py')).toBe('/lib/.x.py.pwtmp');
    expect(tempPathFor('/main.py')).toBe('/.main.py.pwtmp');
    expect(tempPathFor('main.py')).toBe('.main.py.pwtmp');
  });
});

describe('pathOnBoard and pathFromBoard', () => {
  it('keeps paths on boards with folders, and maps / to bare names on a flat filesystem', () => {
    expect(pathOnBoard('/lib/x.py', true)).toBe('/lib/x.py');
    expect(pathOnBoard('/main.py', false)).toBe('main.py');
    expect(pathOnBoard('main.py', false)).toBe('main.py');
    expect(pathOnBoard('//main.py', false)).toBe('main.py');
    expect(pathOnBoard('/', false)).toBe('');
    expect(() => pathOnBoard('/lib/x.py', false)).toThrow(/no folders.*\/lib\/x\.py.*e\.g\. x\.py/);
    expect(pathFromBoard('main.py', false)).toBe('/main.py');
    expect(pathFromBoard('/lib/x.py', true)).toBe('/lib/x.py');
  });
});
