// `pinwheel vboard --parts wiring.json`: a wiring file the board starts
// with (its bus parts answer other pinwheel calls), and a clear error, before
// any board starts, for a file that is not JSON or not a valid wiring.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli, show, spawnCli } from './cliHarness.js';

beforeAll(() => ensureCliBuilt(), 120_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-vboard-parts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function wiringFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('pinwheel vboard --parts', () => {
  it('refuses a file that is not JSON, or not a wiring, naming the file and the problem', async () => {
    const notJson = wiringFile('broken.json', '[{"id": "oled",');
    const r1 = await runCli(['vboard', '--parts', notJson]);
    expect(r1.code, show(r1)).toBe(1);
    expect(r1.stderr).toMatch(new RegExp(`^pinwheel: ${notJson} is not valid JSON: .+\\n$`));
    const badPin = wiringFile('bad.json', JSON.stringify([{ id: 'th', kind: 'dht22', pin: 50 }]));
    const r2 = await runCli(['vboard', '--parts', badPin]);
    expect(r2.code, show(r2)).toBe(1);
    expect(r2.stderr).toMatch(new RegExp(`^pinwheel: ${badPin} is not a valid parts wiring: \\[0\\]\\.pin: .+\\n$`));
    expect(r2.stdout).toBe('');
  });

  it('wires the parts of a good file: an SSD1306 answers an I2C scan from another call', async () => {
    const good = wiringFile('good.json', JSON.stringify([{ id: 'oled', kind: 'ssd1306', sda: 21, scl: 22 }, { id: 'led', kind: 'led', pin: 2 }]));
    const vb = spawnCli(['vboard', '--parts', good]);
    try {
      await vb.waitForStdout('\n', 20_000);
      const port = vb.chunks.map((c) => c.text).join('').split('\n')[0]!.trim();
      const r = await runCli(['--port', port, 'exec', 'import machine; print(machine.I2C(0, sda=machine.Pin(21), scl=machine.Pin(22)).scan())']);
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout.trim()).toBe('[60]');
      vb.child.kill('SIGTERM');
      expect((await vb.done).code).toBe(0);
    } finally {
      if (vb.child.exitCode === null && vb.child.signalCode === null) vb.child.kill('SIGKILL');
    }
  });
});
