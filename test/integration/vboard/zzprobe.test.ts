import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PtyBoards, rawExec, type PortClient } from './portClient.js';
const boards = new PtyBoards();
let client: PortClient;
beforeAll(async () => { [, client] = await boards.open({ model: 'usb' }); });
afterAll(() => boards.closeAll('stop'));
it('probe', async () => {
  const [out, err] = await rawExec(client, readFileSync('/tmp/probe/code.py', 'latin1'), 20000);
  console.log(out, err);
  expect(1).toBe(1);
});
