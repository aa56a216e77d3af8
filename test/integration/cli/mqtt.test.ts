// `pinwheel mqtt sub|pub` against a real mosquitto, and both ways with mosquitto_pub/mosquitto_sub:
// the flags mean what they mean there.
import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mosquitto } from '../../support/mosquitto.js';
import { ensureCliBuilt, runCli, spawnCli, type CliProcess } from './cliHarness.js';

let broker: Mosquitto;
const port = () => String(broker.port);

function mosquittoPub(args: string[], input?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('mosquitto_pub', ['-p', port(), ...args], (err) => (err ? reject(err) : resolve()));
    if (input) child.stdin!.end(input);
  });
}

function mosquittoSub(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('mosquitto_sub', ['-p', port(), ...args]);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/** Resolves once the sub has said (with -d) that its subscription is in place. */
function subscribed(sub: CliProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no subscription within 10 s: ${err}`)), 10_000);
    sub.child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('pinwheel: subscribed to')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

beforeAll(async () => {
  ensureCliBuilt();
  broker = await Mosquitto.start();
});

afterAll(async () => {
  await broker?.stop();
});

describe('pinwheel mqtt', () => {
  it('sub prints what mosquitto_pub sends to matching topics (-v: topic and payload), and stops after -C messages', async () => {
    const sub = spawnCli(['mqtt', 'sub', '-p', port(), '-t', 'sensors/+/temperature', '-t', 'test/led', '-v', '-C', '3', '-d']);
    await subscribed(sub);
    await mosquittoPub(['-t', 'sensors/kitchen/temperature', '-m', '21.5']);
    await mosquittoPub(['-t', 'sensors/kitchen/humidity', '-m', '40']);
    await mosquittoPub(['-t', 'test/led', '-m', '1']);
    await mosquittoPub(['-t', 'sensors/hall/temperature', '-m', '{"t": 19.0}', '-q', '1']);
    const result = await sub.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('sensors/kitchen/temperature 21.5\ntest/led 1\nsensors/hall/temperature {"t": 19.0}\n');
  });

  it('sub passes binary payloads through byte for byte', async () => {
    const payload = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x80, 0xc3, 0x28]);
    const sub = spawnCli(['mqtt', 'sub', '-p', port(), '-t', 'bin/#', '-C', '1', '-d']);
    await subscribed(sub);
    await mosquittoPub(['-t', 'bin/blob', '-s'], payload);
    const result = await sub.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdoutBytes.equals(Buffer.concat([payload, Buffer.from('\n')]))).toBe(true);
  });

  it('pub reaches mosquitto_sub at QoS 1 and 2; a retained message waits for later subscribers, and -n -r clears it', async () => {
    const watching = mosquittoSub(['-t', 'room/#', '-v', '-C', '2', '-q', '2']);
    await new Promise((r) => setTimeout(r, 300));
    expect((await runCli(['mqtt', 'pub', '-p', port(), '-t', 'room/lamp/cmd', '-m', 'on', '-q', '1'])).code).toBe(0);
    expect((await runCli(['mqtt', 'pub', '-p', port(), '-t', 'room/lamp/stat', '-m', 'ON', '-q', '2', '-r'])).code).toBe(0);
    expect(await watching).toEqual({ code: 0, stdout: 'room/lamp/cmd on\nroom/lamp/stat ON\n' });

    // The retained state arrives first for a subscriber that comes later; -R skips it.
    const later = await runCli(['mqtt', 'sub', '-p', port(), '-t', 'room/+/stat', '-v', '-C', '1']);
    expect(later.stdout).toBe('room/lamp/stat ON\n');
    const skipping = await runCli(['mqtt', 'sub', '-p', port(), '-t', 'room/+/stat', '-R', '-W', '1']);
    expect(skipping.code).toBe(27);
    expect(skipping.stderr).toBe('pinwheel: Timed out after 1 s with 0 messages.\n');

    expect((await runCli(['mqtt', 'pub', '-p', port(), '-t', 'room/lamp/stat', '-n', '-r'])).code).toBe(0);
    expect(await mosquittoSub(['-t', 'room/lamp/stat', '-C', '1', '-W', '1'])).toMatchObject({ stdout: '' });
  });

  it('refuses a malformed filter or topic before connecting, with what is wrong', async () => {
    const badFilter = await runCli(['mqtt', 'sub', '-p', '1', '-t', 'sensors/temp#']);
    expect(badFilter.code).toBe(2);
    expect(badFilter.stderr).toBe('pinwheel: "#" must be a whole level: "temp#" in "sensors/temp#" mixes it with other characters (write "temp/#"?).\n');
    const wildcardTopic = await runCli(['mqtt', 'pub', '-p', '1', '-t', 'test/+', '-m', 'x']);
    expect(wildcardTopic.code).toBe(2);
    expect(wildcardTopic.stderr).toMatch(/cannot contain "\+" or "#"/);
    const badQos = await runCli(['mqtt', 'pub', '-t', 'a', '-m', 'x', '-q', '3']);
    expect(badQos.stderr).toBe('pinwheel: -q must be a whole number from 0 to 2, not "3".\n');
  });

  it('says when no broker listens, and exits 1', async () => {
    const stopped = await Mosquitto.start();
    const deadPort = String(stopped.port);
    await stopped.stop();
    const result = await runCli(['mqtt', 'sub', '-p', deadPort, '-t', '#']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`pinwheel: Could not connect to the broker at mqtt://localhost:${deadPort}: connect ECONNREFUSED 127.0.0.1:${deadPort} (is a broker listening there?).\n`);
  });

  it('Ctrl-C ends a sub cleanly', async () => {
    const sub = spawnCli(['mqtt', 'sub', '-p', port(), '-t', '#', '-d']);
    await subscribed(sub);
    sub.child.kill('SIGINT');
    const result = await sub.done;
    expect(result.code).toBe(0);
  });
});
