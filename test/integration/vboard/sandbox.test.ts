// The virtual board is a sandbox: code run on it (a project's main.py, a
// pasted snippet) reaches neither JavaScript nor, through it, Node and the
// user's computer. Each route below was open before: `import js` gave
// globalThis, and `_pinwheel` (the board's bridge) was a JsProxy whose
// `.constructor.constructor` is Function.
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualBoardOptions } from '../../../electron/node/vboard/VirtualBoard.js';
import { PtyBoards, rawExec } from './portClient.js';

const ptyBoards = new PtyBoards();
afterEach(() => ptyBoards.closeAll('stop'));

/** Prints one line per attempt: its label and the exception type, or REACHED and what it got. */
const ATTEMPT_PY = `
def attempt(label, f):
    try:
        got = f()
    except Exception as e:
        print(label, type(e).__name__)
    else:
        print(label, 'REACHED', repr(got)[:40])
`;

const BOARDS: Array<[string, VirtualBoardOptions]> = [
  ['ESP32 over a UART bridge', { model: 'uart' }],
  ['ESP32 over native USB', { model: 'usb' }],
  ['a 1.9 board', { model: 'uart', profile: '1.9-minimal' }],
];

async function runOnBoard(options: VirtualBoardOptions, code: string): Promise<string[]> {
  const [, client] = await ptyBoards.open(options);
  const [out, err] = await rawExec(client, ATTEMPT_PY + code, 10_000);
  expect(err).toBe('');
  return out.split('\r\n').filter((line) => line !== '');
}

describe.each(BOARDS)('sandbox of the virtual board (%s)', (_name, options) => {
  it('has no js or jsffi module by any route', async () => {
    const lines = await runOnBoard(
      options,
      `
import sys, builtins
attempt('import js', lambda: exec('import js'))
attempt('import jsffi', lambda: exec('import jsffi'))
attempt('from js import process', lambda: exec('from js import process'))
attempt('__import__', lambda: __import__('js'))
attempt('builtins.__import__', lambda: builtins.__import__('jsffi'))
attempt('sys.modules', lambda: sys.modules['js'])
attempt('builtins attribute', lambda: builtins.js)
attempt('the reported attack', lambda: exec("import js; js.process.getBuiltinModule('child_process').execSync('id')"))
# A board whose profile hides modules overrides __import__; without the override the modules are still gone.
try:
    del builtins.__import__
except (AttributeError, KeyError):
    pass
attempt('import js, override removed', lambda: exec('import js'))
attempt('import jsffi, override removed', lambda: exec('import jsffi'))
print('modules', [m for m in sys.modules if 'js' in m])
`,
    );
    expect(lines).toEqual([
      'import js ImportError',
      'import jsffi ImportError',
      'from js import process ImportError',
      '__import__ ImportError',
      'builtins.__import__ ImportError',
      'sys.modules KeyError',
      'builtins attribute AttributeError',
      'the reported attack ImportError',
      'import js, override removed ImportError',
      'import jsffi, override removed ImportError',
      'modules []',
    ]);
  });

  it('lets the board bridge be called but never walked to JavaScript', async () => {
    const lines = await runOnBoard(
      options,
      `
import machine, _pinwheel as p
f = p.pin_count
for name in ('constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'call', 'apply', 'bind', 'then', '__func__', '__self__', 'heap_nest', 'heap_hold', 'heap_snap'):
    attempt('module.' + name, lambda: getattr(p, name).constructor)
    attempt('function.' + name, lambda: getattr(f, name).constructor)
attempt('construct', lambda: type(p)(0))
attempt('subscript', lambda: p['constructor'] is None)
attempt('iterate', lambda: list(p))
attempt('call the module', lambda: p() is None)
def store():
    p.pin_count = 'replaced'
attempt('store', store)
attempt('still a bridge', lambda: p.pin_count())
attempt('non-plain arguments do nothing', lambda: p.pin_set([1], {'a': 1}) is None)
attempt('a pin that does not exist', lambda: p.pin_out(10**6))
print('uid', len(machine.unique_id()))
`,
    );
    // Every walk out of the bridge finds nothing; what may be done still works.
    const walks = lines.filter((l) => l.startsWith('module.') || l.startsWith('function.'));
    expect(walks).toHaveLength(30);
    for (const line of walks) expect(line).toMatch(/ AttributeError$/);
    expect(lines.filter((l) => !walks.includes(l))).toEqual([
      'construct TypeError',
      'subscript REACHED True',
      'iterate REACHED []',
      'call the module REACHED True',
      'store REACHED None',
      'still a bridge REACHED 40',
      'non-plain arguments do nothing REACHED True',
      'a pin that does not exist REACHED 0',
      'uid 6',
    ]);
  });

  it("cannot read the host's files, and its sockets reach only what the host allows", async () => {
    const lines = await runOnBoard(
      options,
      `
import os, _pinwheel
attempt('open /etc/passwd', lambda: open('/etc/passwd').read())
attempt('open /proc/self/environ', lambda: open('/proc/self/environ').read())
print('root', [n for n in os.listdir() if n not in ('boot.py', 'main.py', 'lib')])
# The socket module is the board's; its connections are checked in the host, so calling the bridge
# directly, without Wi-Fi and to the internet, is refused there (EHOSTUNREACH).
sid = _pinwheel.sock_open()
print('bridge connect', _pinwheel.sock_connect(sid, '8.8.8.8', 53, -1), _pinwheel.sock_connect(sid, 'not an address', 53, -1))
_pinwheel.sock_close(sid)
`,
    );
    expect(lines).toEqual(['open /etc/passwd OSError', 'open /proc/self/environ OSError', 'root []', 'bridge connect -118 -22']);
  });
});
