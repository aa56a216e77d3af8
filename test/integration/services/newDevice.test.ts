// The seeds' scenario on the virtual board, through the services the new-device wizard calls:
// the LED template and the MQTT client it imports (our own client, served by a local index as
// umqtt.simple) go onto the board, a reset joins the Wi-Fi and connects to the broker, and
// mosquitto_pub switches the LED: on the embedded broker, then on a real mosquitto. The sensor
// template's readings reach the explorer's model and a CSV recording. A wrong Wi-Fi password is
// said on the REPL.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIRTUAL_BOARD_PATH } from '../../../electron/common/api/contract.js';
import { VIRTUAL_WIFI } from '../../../electron/common/board/virtualWifi.js';
import { profileForUrl } from '../../../electron/common/mqtt/profileDefaults.js';
import { TEMPLATES, deviceFiles, type DeviceAnswers } from '../../../electron/common/templates/deviceTemplates.js';
import { Mosquitto } from '../../support/mosquitto.js';
import { PackageIndexServer } from '../../support/PackageIndexServer.js';
import { startTestBackend, type TestBackend } from './harness.js';

const run = promisify(execFile);
const TINYMQTT = readFileSync(new URL('../../support/boardPython/tinymqtt.py', import.meta.url), 'utf8');
const WIFI = { ssid: VIRTUAL_WIFI[0]!.ssid, password: VIRTUAL_WIFI[0]!.password };

let t: TestBackend;
let index: PackageIndexServer;
let brokerPort: number;

beforeAll(async () => {
  index = await new PackageIndexServer({ 'umqtt.simple': { version: '1.4.0', files: { 'umqtt/simple.py': TINYMQTT } } }).start();
  t = await startTestBackend();
  await t.client.call('board.connect', { path: VIRTUAL_BOARD_PATH });
  const broker = await t.client.call('broker.start', { lan: false, websocket: false });
  brokerPort = broker.port!;
});

afterAll(async () => {
  await t?.close();
  await index?.stop();
});

const led = (answers: Partial<DeviceAnswers> = {}): DeviceAnswers => ({
  template: 'led-mqtt',
  wifi: WIFI,
  broker: { host: '127.0.0.1', port: brokerPort },
  clientId: '',
  topicPrefix: 'test',
  pin: 2,
  intervalS: 5,
  ...answers,
});

/**
 * Sets the device up and resets the board; resolves once main.py says it is ready. (Anything that
 * uses the board's files after this would stop main.py: file operations take the raw REPL.)
 */
async function setUpAndReset(answers: DeviceAnswers, ready: string | RegExp, beforeReset?: () => Promise<void>) {
  const setup = await t.client.call('device.setup', { answers, index: index.url });
  await beforeReset?.();
  t.terminal.mark = t.terminal.text.length;
  await t.client.call('board.softReset', {});
  await t.terminal.waitFor(ready, 30_000);
  return setup;
}

async function pinLevel(pin: number, level: number, from: number) {
  try {
    await t.events.waitFor('vboard.pins', (p) => p.pins[String(pin)] === level, 10_000, from);
  } catch (err) {
    throw new Error(`${String(err)}\nterminal: ${t.terminal.text.slice(-1500)}`);
  }
}

describe('a new device from the LED template, on the virtual board', () => {
  it('installs umqtt.simple, writes config.json, boot.py and main.py; mosquitto_pub switches the LED through the embedded broker', async () => {
    const setup = await setUpAndReset(led(), 'MQTT: listening on test/led', async () => {
      const config = JSON.parse(new TextDecoder().decode((await t.client.call('files.read', { path: '/config.json' })).data)) as Record<string, unknown>;
      expect(config).toEqual({ pin: 2, wifi: WIFI, mqtt: { broker: '127.0.0.1', port: brokerPort, client_id: '', prefix: 'test' } });
      const lib = await t.client.call('files.list', { path: '/lib', recursive: true });
      expect(lib.map((e) => e.path)).toContain('/lib/umqtt/simple.py');
    });
    expect(setup.packages).toEqual([expect.objectContaining({ name: 'umqtt.simple', version: '1.4.0' })]);
    expect(setup.written).toEqual(['/config.json', '/boot.py', '/main.py']);
    expect(setup.topics).toEqual({ command: 'test/led', state: 'test/led/state' });
    expect(t.terminal.text).toMatch(/Wi-Fi: connected to Pinwheel, address \d+\.\d+\.\d+\.\d+/);
    // The client id defaults to machine.unique_id() in hex.
    expect(t.terminal.text).toMatch(new RegExp(`MQTT: connected to 127\\.0\\.0\\.1:${brokerPort} as [0-9a-f]{12}`));

    let from = t.events.all.length;
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(brokerPort), '-t', 'test/led', '-m', '1']);
    await pinLevel(2, 1, from);
    const state = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(brokerPort), '-t', 'test/led/state', '-C', '1', '-W', '5']);
    expect(state.stdout.trim()).toBe('1');
    from = t.events.all.length;
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(brokerPort), '-t', 'test/led', '-m', '0']);
    await pinLevel(2, 0, from);
  });

  it('does the same with a real mosquitto, on another pin', async () => {
    const mosquitto = await Mosquitto.start();
    try {
      await setUpAndReset(led({ broker: { host: '127.0.0.1', port: mosquitto.port }, pin: 4, topicPrefix: 'desk' }), 'MQTT: listening on desk/led');
      let from = t.events.all.length;
      await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(mosquitto.port), '-t', 'desk/led', '-m', 'on']);
      await pinLevel(4, 1, from);
      from = t.events.all.length;
      await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(mosquitto.port), '-t', 'desk/led', '-m', '0']);
      await pinLevel(4, 0, from);
    } finally {
      await mosquitto.stop();
    }
  });

  it('says on the REPL when the Wi-Fi password is wrong', async () => {
    await setUpAndReset(led({ wifi: { ssid: WIFI.ssid, password: 'not-the-password' } }), /Wi-Fi: wrong password for Pinwheel; fix it in config\.json/);
  });

  it('refuses answers the templates cannot use, before touching the board', async () => {
    await expect(t.client.call('device.setup', { answers: led({ topicPrefix: 'bad/#' }), index: index.url })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('"+" or "#"') });
    await expect(t.client.call('device.setup', { answers: led({ wifi: undefined }), index: index.url })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Wi-Fi network name') });
  });
});

describe('every template', () => {
  it('compiles on the board (MicroPython 1.27), boot.py included', async () => {
    const sources: Array<[string, string]> = [];
    for (const template of TEMPLATES) {
      const made = deviceFiles({ ...led(), template: template.id, pin: template.defaultPin });
      for (const [file, text] of Object.entries(made.files)) if (file.endsWith('.py')) sources.push([`${template.id}${file}`, text]);
    }
    t.terminal.mark = t.terminal.text.length;
    const code = `for name, src in ${JSON.stringify(sources)}:\n    compile(src, name, 'exec')\n    print('compiled', name)\n`;
    const result = await t.client.call('board.run', { code });
    expect(result).toMatchObject({ ok: true });
    const shown = await t.terminal.waitFor('compiled blink/main.py', 10_000);
    for (const [name] of sources) expect(shown).toContain(`compiled ${name}`);
  });
});

describe('a new device from the sensor template', () => {
  it('publishes readings that reach the explorer and a CSV recording', async () => {
    const profile = await t.client.call('mqtt.saveProfile', { ...profileForUrl(`mqtt://127.0.0.1:${brokerPort}`), subscriptions: [{ filter: 'lab/#', qos: 0 }] });
    const connection = await t.client.call('mqtt.connect', { profileId: profile.id });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-sensor-'));
    try {
      const file = path.join(dir, 'lab.csv');
      await t.client.call('mqtt.record', { connectionId: connection.id, filter: 'lab/sensor', path: file });
      await setUpAndReset(
        { template: 'sensor', wifi: WIFI, broker: { host: '127.0.0.1', port: brokerPort }, clientId: 'lab-1', topicPrefix: 'lab', pin: 34, intervalS: 0.3 },
        'MQTT: publishing to lab/sensor',
      );
      await t.events.waitFor('mqtt.connection', (e) => e.id === connection.id && (e.recording?.rows ?? 0) >= 3, 15_000, 0);
      const stopped = await t.client.call('mqtt.stopRecording', { connectionId: connection.id });
      expect(stopped.rows).toBeGreaterThanOrEqual(3);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
      // The JSON fields became columns: the reading number, uptime and free memory.
      expect(lines[0]!.split(',').slice(0, 3)).toEqual(['timestamp', 'topic', 'payload']);
      expect(lines[0]).toContain('n');
      expect(lines[0]).toContain('mem_free');
      expect(lines[1]).toContain(',lab/sensor,');
      const history = await t.client.call('mqtt.history', { connectionId: connection.id, topic: 'lab/sensor', limit: 10, payloadBytes: 1024 });
      const readings = history.map((m) => JSON.parse(new TextDecoder().decode(m.payload)) as { n: number; mem_free: number });
      expect(readings.length).toBeGreaterThanOrEqual(3);
      expect(readings.map((r) => r.n)).toEqual([...readings.keys()].map((i) => readings[0]!.n + i));
      expect(readings[0]!.mem_free).toBeGreaterThan(0);
    } finally {
      await t.client.call('mqtt.disconnect', { connectionId: connection.id });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
