import { describe, expect, it } from 'vitest';
import { staysOffBoard } from '../../electron/common/workspace/localFiles.js';

describe('which local files go to the board (app upload/sync and CLI put alike)', () => {
  it('sends project files and folders', () => {
    for (const p of ['main.py', 'lib/umqtt/simple.py', 'config.json', 'data/readings.csv', 'a.b/c.py']) expect(staysOffBoard(p), p).toBe(false);
  });
  it('keeps hidden entries, version control, dependencies and caches on the computer', () => {
    for (const p of ['.git/HEAD', '.DS_Store', '.env', '.vscode/settings.json', 'lib/.hidden.py', 'node_modules/x/index.js', '__pycache__/main.cpython-312.pyc', 'venv/bin/python', 'src/__pycache__/a.pyc']) {
      expect(staysOffBoard(p), p).toBe(true);
    }
  });
});
