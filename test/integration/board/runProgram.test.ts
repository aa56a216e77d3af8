// A named program through both ways of sending a command, on the virtual
// board: raw-paste, and the paced plain raw mode of old firmware. The source
// travels as a string literal inside the command, so a long program must
// arrive whole either way and fail at its own line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardSession } from '../../../electron/common/board/BoardSession.js';
import { BoardExecError } from '../../../electron/common/board/BoardError.js';
import { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';

/** Lines in the long program: some 8 KB of source with quotes, backslashes and non-ASCII in it. */
const LINES = 150;

describe.each(['auto', 'never'] as const)('runProgram with rawPaste %s', (rawPaste) => {
  let board: VirtualBoard;
  let session: BoardSession;

  beforeAll(async () => {
    board = await VirtualBoard.start({ model: 'uart' });
    session = new BoardSession(board.link(), { rawPaste });
  });

  afterAll(async () => {
    session?.dispose();
    await board?.stop();
  });

  it('runs a long program whole and names its file and line in the traceback', async () => {
    const body = Array.from({ length: LINES }, (_, i) => `v${i} = 'l\\u00e9ne "${i}" \\\\ ✓'  # ${'-'.repeat(20)}`);
    const source = [...body, `print("last", len(v${LINES - 1}), ${LINES})`, 'missing_name'].join('\n') + '\n';
    const out: string[] = [];
    const err = (await session.runProgram(source, { name: 'long.py', onStdout: (t) => out.push(t), timeoutMs: 30_000 }).catch((e: unknown) => e)) as BoardExecError;
    expect(err).toBeInstanceOf(BoardExecError);
    expect(out.join('')).toMatch(new RegExp(`last \\d+ ${LINES}\\r?\\n`));
    expect(err.traceback).toMatch(new RegExp(`^Traceback \\(most recent call last\\):\\r?\\n {2}File "long\\.py", line ${LINES + 2}, in <module>\\r?\\nNameError`));
    expect(session.rawPasteSupported).toBe(rawPaste === 'auto');
  }, 60_000);
});
