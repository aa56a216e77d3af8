// `pinwheel broker`: the embedded broker (aedes) as boards and mosquitto's clients meet it.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/mosquitto.js';
import { ensureCliBuilt, runCli, spawnCli, type CliProcess } from './cliHarness.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-broker-'));
const env = { PINWHEEL_DATA_DIR: dataDir };

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

async function startBroker(args: string[]): Promise<CliProcess> {
  const broker = spawnCli(['broker', ...args], { env, timeoutMs: 60_000 });
  await broker.waitForStdout('Press Ctrl-C to stop.', 15_000);
  return broker;
}

async function stopBroker(broker: CliProcess): Promise<string> {
  broker.child.kill('SIGINT');
  const result = await broker.done;
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

beforeAll(() => ensureCliBuilt());
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('pinwheel broker', () => {
  it('carries messages between mosquitto_pub and mosquitto_sub, and keeps retained messages across a restart', async () => {
    const port = String(await freePort());
    let broker = await startBroker(['--port', port]);
    expect(broker.chunks.map((c) => c.text).join('')).toContain(`Pinwheel broker listening on 127.0.0.1:${port} (this computer only;`);
    const watching = run('mosquitto_sub', ['-p', port, '-t', 'test/#', '-v', '-C', '1']);
    await new Promise((r) => setTimeout(r, 300));
    expect((await run('mosquitto_pub', ['-p', port, '-t', 'test/led', '-m', '1', '-q', '1'])).code).toBe(0);
    expect((await watching).stdout).toBe('test/led 1\n');
    expect((await runCli(['mqtt', 'pub', '-p', port, '-t', 'room/lamp/stat', '-m', 'ON', '-r', '-q', '1'])).code).toBe(0);
    expect(await stopBroker(broker)).toContain('Broker stopped.');

    broker = await startBroker(['--port', port]);
    expect((await run('mosquitto_sub', ['-p', port, '-t', 'room/#', '-v', '-C', '1', '-W', '5'])).stdout).toBe('room/lamp/stat ON\n');
    // An empty retained message clears it, and that lasts across a restart too.
    expect((await run('mosquitto_pub', ['-p', port, '-t', 'room/lamp/stat', '-n', '-r'])).code).toBe(0);
    await stopBroker(broker);
    broker = await startBroker(['--port', port]);
    expect((await run('mosquitto_sub', ['-p', port, '-t', 'room/#', '-C', '1', '-W', '1'])).stdout).toBe('');
    await stopBroker(broker);
  });

  it('takes the next free port when the one asked for is in use, and says so', async () => {
    const taken = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const broker = await startBroker(['--port', String(port)]);
      const said = broker.chunks.map((c) => c.text).join('');
      const actual = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(said)?.[1]);
      expect(actual).toBeGreaterThan(port);
      expect(said).toContain(`(port ${port} was in use)`);
      expect((await runCli(['mqtt', 'pub', '-p', String(actual), '-t', 'a', '-m', 'b'])).code).toBe(0);
      await stopBroker(broker);
    } finally {
      taken.close();
    }
  });

  it('with --username and --password refuses clients without them', async () => {
    const port = String(await freePort());
    const broker = await startBroker(['--port', port, '--username', 'maker', '--password', 's3cret']);
    const anonymous = await runCli(['mqtt', 'pub', '-p', port, '-t', 'a', '-m', 'b']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toBe(`pinwheel: The broker at mqtt://localhost:${port} refused the connection: Bad username or password.\n`);
    expect((await run('mosquitto_pub', ['-p', port, '-t', 'a', '-m', 'b', '-u', 'maker', '-P', 'wrong'])).code).not.toBe(0);
    expect((await runCli(['mqtt', 'pub', '-p', port, '-t', 'a', '-m', 'b', '-u', 'maker', '-P', 's3cret'])).code).toBe(0);
    await stopBroker(broker);
  });

  it('--lan listens on the network, says where boards connect, and warns when anyone may', async () => {
    const port = String(await freePort());
    const broker = await startBroker(['--port', port, '--lan']);
    const said = broker.chunks.map((c) => c.text).join('');
    expect(said).toContain(`Pinwheel broker listening on port ${port} of every network interface.`);
    expect(said).toContain('Warning: anyone on this network can publish and subscribe.');
    expect((await runCli(['mqtt', 'pub', '-h', '127.0.0.1', '-p', port, '-t', 'a', '-m', 'b'])).code).toBe(0);
    await stopBroker(broker);
  });
});
