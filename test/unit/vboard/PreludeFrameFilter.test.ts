import { describe, expect, it } from 'vitest';
import { PreludeFrameFilter } from '../../../electron/node/vboard/worker/PreludeFrameFilter.js';

/** Feeds `text` byte by byte, releasing held bytes at the end as an idle board does. */
function filtered(text: string, releaseAtEnd = true): string {
  const filter = new PreludeFrameFilter('/tmp/pinwheel');
  const out: number[] = [];
  for (const c of Buffer.from(text, 'latin1')) filter.push(c, (b) => out.push(b));
  if (releaseAtEnd) filter.release((b) => out.push(b));
  return Buffer.from(out).toString('latin1');
}

describe('PreludeFrameFilter', () => {
  it('drops traceback lines that point into the prelude folder, and only those', () => {
    const traceback =
      'Traceback (most recent call last):\n' +
      '  File "<stdin>", line 3, in <module>\n' +
      '  File "/tmp/pinwheel/_pw_time.py", line 12, in sleep\n' +
      '  File "/tmp/pinwheel/_pw_time.py", line 8, in _wait_ms\n' +
      'KeyboardInterrupt: \n';
    expect(filtered(traceback)).toBe(
      'Traceback (most recent call last):\n  File "<stdin>", line 3, in <module>\nKeyboardInterrupt: \n',
    );
  });

  it('keeps lines that only start like a hidden frame, or name the folder elsewhere', () => {
    const text = '  File "/tmp/other.py", line 1\n  Fil\nx  File "/tmp/pinwheel/a.py"\n  File "main.py", line 2, in f\n';
    expect(filtered(text)).toBe(text);
  });

  it('holds a possible frame start until the line decides, and lets go of it when the board goes idle', () => {
    const filter = new PreludeFrameFilter('/tmp/pinwheel');
    const out: number[] = [];
    for (const c of Buffer.from('done\n  Fi', 'latin1')) filter.push(c, (b) => out.push(b));
    expect(Buffer.from(out).toString('latin1')).toBe('done\n');
    filter.release((b) => out.push(b));
    expect(Buffer.from(out).toString('latin1')).toBe('done\n  Fi');
  });

  it('handles a hidden frame as the very first output and frames back to back', () => {
    expect(filtered('  File "/tmp/pinwheel/x.py", line 1, in f\n  File "/tmp/pinwheel/y.py", line 2, in g\nok\n')).toBe('ok\n');
  });
});
