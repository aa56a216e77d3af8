import { describe, expect, it } from 'vitest';
import { RUN_WRAPPER_FRAME } from '../../../electron/common/board/python/runPy.js';
import { WrapperFrameFilter, withoutWrapperFrame } from '../../../electron/common/board/repl/WrapperFrameFilter.js';

const HEADER = 'Traceback (most recent call last):';

/** Every way the traceback could be cut into chunks of `size` characters, joined after filtering. */
function streamed(text: string, size: number): string {
  const filter = new WrapperFrameFilter(RUN_WRAPPER_FRAME);
  let shown = '';
  for (let i = 0; i < text.length; i += size) shown += filter.push(text.slice(i, i + size));
  return shown + filter.end();
}

function expectFiltered(input: string, output: string): void {
  expect(withoutWrapperFrame(input, RUN_WRAPPER_FRAME)).toBe(output);
  for (const size of [1, 2, 3, 5, 8, 13, 40, 1000]) expect(streamed(input, size), `in chunks of ${size}`).toBe(output);
}

describe('WrapperFrameFilter', () => {
  it('drops the wrapper frame before the program\'s own', () => {
    const eol = '\r\n';
    expectFiltered(
      [HEADER, RUN_WRAPPER_FRAME, '  File "main.py", line 5, in <module>', '  File "main.py", line 3, in f', 'ZeroDivisionError: divide by zero', ''].join(eol),
      [HEADER, '  File "main.py", line 5, in <module>', '  File "main.py", line 3, in f', 'ZeroDivisionError: divide by zero', ''].join(eol),
    );
  });

  it('works with bare \\n line ends too', () => {
    expectFiltered(`${HEADER}\n${RUN_WRAPPER_FRAME}\n  File "a.py", line 1\nSyntaxError: invalid syntax\n`, `${HEADER}\n  File "a.py", line 1\nSyntaxError: invalid syntax\n`);
  });

  it('drops the header too when the wrapper frame was the only one (an error while compiling)', () => {
    expectFiltered(`${HEADER}\r\n${RUN_WRAPPER_FRAME}\r\nMemoryError: memory allocation failed\r\n`, 'MemoryError: memory allocation failed\r\n');
    expectFiltered(`${HEADER}\r\n${RUN_WRAPPER_FRAME}\r\nKeyboardInterrupt: \r\n`, 'KeyboardInterrupt: \r\n');
  });

  it('leaves other tracebacks alone', () => {
    const cases = [
      'KeyboardInterrupt: \r\n',
      `${HEADER}\r\n  File "<stdin>", line 2, in <module>\r\nNameError: name 'x' isn't defined\r\n`,
      `${HEADER}\r\n  File "<stdin>", line 1, in f\r\n  File "main.py", line 2, in <module>\r\nValueError: boom\r\n`,
      `Trace\r\n${RUN_WRAPPER_FRAME}\r\n`,
      `${HEADER}\r\n`,
      '',
    ];
    for (const text of cases) expectFiltered(text, text);
  });

  it('only ever drops the first entry', () => {
    const text = `${HEADER}\r\n${RUN_WRAPPER_FRAME}\r\n${RUN_WRAPPER_FRAME}\r\nValueError: again\r\n`;
    expectFiltered(text, `${HEADER}\r\n${RUN_WRAPPER_FRAME}\r\nValueError: again\r\n`);
  });

  it('releases what it held when the traceback ends early', () => {
    expectFiltered(`${HEADER}\r\n  File "<std`, `${HEADER}\r\n  File "<std`);
    expectFiltered(`${HEADER}\r\n${RUN_WRAPPER_FRAME}\r\n  Fi`, '  Fi');
    expectFiltered(`${HEADER}\r\n${RUN_WRAPPER_FRAME}\r\n  File "x.py"`, `${HEADER}\r\n  File "x.py"`);
  });

  it('passes text through at once after its decisions, holding nothing back', () => {
    const filter = new WrapperFrameFilter(RUN_WRAPPER_FRAME);
    expect(filter.push(`${HEADER}\r\n`)).toBe('');
    expect(filter.push(`${RUN_WRAPPER_FRAME}\r\n`)).toBe('');
    expect(filter.push('  File "m.py", line 1, in <module>\r\n')).toBe(`${HEADER}\r\n  File "m.py", line 1, in <module>\r\n`);
    expect(filter.push('ValueError')).toBe('ValueError');
    expect(filter.end()).toBe('');
  });
});
