import { describe, expect, it } from 'vitest';
import { completionPy } from '../../../electron/common/board/python/completionPy.js';

describe('completionPy', () => {
  it('looks the dotted name up inside a function and imports its module by name when needed', () => {
    expect(completionPy('machine.Pin')?.text).toBe(
      [
        'def _pw_complete():',
        ' try:return machine.Pin',
        ' except NameError:pass',
        " o=__import__('machine')",
        " for a in ['Pin']:o=getattr(o,a)",
        ' return o',
        'try:print(" ".join(dir(_pw_complete())))',
        'except Exception:pass',
        'finally:del _pw_complete',
      ].join('\n'),
    );
  });

  it('refuses anything that is not a dotted name, so no code can be smuggled in', () => {
    for (const expr of ['x; import os', 'os.system("x")', '1abc', 'a..b', '', '__import__("os").remove']) expect(completionPy(expr), expr).toBeUndefined();
  });
});
