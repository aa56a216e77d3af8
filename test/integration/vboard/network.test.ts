/**
 * The virtual board on the network: its `network` module joins the virtual
 * Wi-Fi as an ESP32 does (a moment to associate, a wrong password or an
 * unknown network reported with the port's codes), and its `socket` module
 * makes real TCP connections from the host, so a MicroPython MQTT client
 * (our own, tinymqtt.py, using the same socket calls as the board
 * libraries) talks to a real mosquitto and to the embedded broker, and
 * switches the LED pin on `1` and off on `0`, as the seeds' boards do.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../electron/node/mqtt/EmbeddedBroker.js';
import type { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';
import { freePort, Mosquitto } from '../../support/mosquitto.js';
import { PtyBoards, rawExec, type PortClient } from './portClient.js';

const TINYMQTT = readFileSync(new URL('../../support/boardPython/tinymqtt.py', import.meta.url), 'utf8');
const ptyBoards = new PtyBoards();
let mosquitto: Mosquitto;

beforeAll(async () => {
  mosquitto = await Mosquitto.start();
});
afterEach(() => ptyBoards.closeAll('stop'));
afterAll(() => mosquitto?.stop());

function mosquittoPub(port: number, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile('mosquitto_pub', ['-p', String(port), ...args], (err) => (err ? reject(err) : resolve())));
}

function mosquittoSubOne(port: number, topic: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_sub', ['-p', String(port), '-t', topic, '-C', '1', '-W', '15'], (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
  );
}

/** Runs `code` and returns its printed lines; fails on a Python error. */
async function run(client: PortClient, code: string, timeoutMs = 15_000): Promise<string[]> {
  const [out, err] = await rawExec(client, code, timeoutMs);
  expect(err).toBe('');
  return out.split('\r\n').filter((line) => line !== '');
}

const JOIN_PY = `
import network, time
wlan = network.WLAN(network.STA_IF)
wlan.active(True)
wlan.connect('Pinwheel', 'micropython')
while not wlan.isconnected():
    time.sleep_ms(50)
`;

/** The library on the board's /lib, imported by name as a project's main.py would. */
async function installTinyMqtt(client: PortClient): Promise<void> {
  await run(client, `import os\ntry:\n    os.mkdir('/lib')\nexcept OSError:\n    pass\nwith open('/lib/tinymqtt.py', 'w') as f:\n    f.write(${JSON.stringify(TINYMQTT)})`);
}

function pinLevel(board: VirtualBoard, pin: number, level: number, timeoutMs = 10_000): Promise<void> {
  if (board.pins.getPin(pin) === level) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`pin ${pin} never went to ${level}`));
    }, timeoutMs);
    const sub = board.pins.onPinChange((p, v) => {
      if (p !== pin || v !== level) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** The seeds' LED board: subscribes to test/led, '1' lights GPIO 2 and '0' puts it out, 'bye' ends the program. */
const LED_PY = (host: string, port: number) => `
${JOIN_PY}
from machine import Pin
from tinymqtt import MQTTClient
led = Pin(2, Pin.OUT, value=0)
done = []
def on_message(topic, msg):
    if msg == b'1':
        led.on()
    elif msg == b'0':
        led.off()
    elif msg == b'bye':
        done.append(1)
c = MQTTClient('led-board', ${JSON.stringify(host)}, ${port})
c.set_callback(on_message)
c.connect()
c.subscribe(b'test/led')
c.publish(b'test/led/status', b'online')
print('SUBSCRIBED')
idle = 0
while not done:
    if c.check_msg() is None:
        idle += 1
        time.sleep_ms(20)
c.disconnect()
print('IDLE POLLS', idle > 0)
`;

async function ledScenario(board: VirtualBoard, client: PortClient, port: number): Promise<void> {
  await installTinyMqtt(client);
  const status = mosquittoSubOne(port, 'test/led/status');
  await new Promise((r) => setTimeout(r, 200));
  await client.write(LED_PY('127.0.0.1', port) + '\x04');
  await client.waitFor('SUBSCRIBED', 15_000);
  await expect(status).resolves.toBe('online');
  await mosquittoPub(port, ['-t', 'test/led', '-m', '1']);
  await pinLevel(board, 2, 1);
  await mosquittoPub(port, ['-t', 'test/led', '-m', '0']);
  await pinLevel(board, 2, 0);
  await mosquittoPub(port, ['-t', 'test/led', '-m', 'bye']);
  // check_msg() on a non-blocking socket returned None while nothing waited, as umqtt's loop relies on.
  await client.waitFor('IDLE POLLS True', 10_000);
  await client.waitFor('>', 5000);
}

describe('the virtual board on the network', () => {
  it('joins the virtual Wi-Fi after a moment, and reports a wrong password and an unknown network as an ESP32 does', async () => {
    const [, client] = await ptyBoards.open({ model: 'usb' });
    const lines = await run(
      client,
      `
import network, time
wlan = network.WLAN(network.STA_IF)
print('before', wlan.active(), wlan.isconnected(), wlan.ifconfig()[0])
wlan.active(True)
print('scan', sorted(n[0] for n in wlan.scan()))
def join(ssid, key, ms):
    wlan.connect(ssid, key)
    t = time.ticks_ms()
    while wlan.status() == network.STAT_CONNECTING and time.ticks_diff(time.ticks_ms(), t) < ms:
        time.sleep_ms(50)
    return wlan.status(), time.ticks_diff(time.ticks_ms(), t)
st, took = join('Pinwheel', 'nope', 5000)
print('wrong', st == network.STAT_WRONG_PASSWORD, wlan.isconnected())
st, took = join('NoSuchNet', 'x', 5000)
print('unknown', st == network.STAT_NO_AP_FOUND)
st, took = join('Pinwheel', 'micropython', 5000)
print('joined', st == network.STAT_GOT_IP, wlan.isconnected(), took >= 500, wlan.ifconfig()[0] != '0.0.0.0', wlan.status('rssi') < 0)
print('config', wlan.config('essid'), len(wlan.config('mac')))
ap = network.WLAN(network.AP_IF)
ap.active(True)
print('ap', ap.active(), ap.ifconfig()[0])
wlan.disconnect()
print('after', wlan.isconnected())
`,
    );
    expect(lines).toEqual([
      'before False False 0.0.0.0',
      "scan [b'Neighbour-2G', b'Pinwheel']",
      'wrong True False',
      'unknown True',
      'joined True True True True True',
      'config Pinwheel 6',
      'ap True 192.168.4.1',
      'after False',
    ]);
  });

  it('runs the LED board of the seeds against a real mosquitto: mosquitto_pub 1 lights GPIO 2, 0 puts it out', async () => {
    const [board, client] = await ptyBoards.open({ model: 'usb' });
    await ledScenario(board, client, mosquitto.port);
    expect(board.openSockets).toBe(0);
  });

  it('runs it against the embedded broker as well', async () => {
    const broker = await EmbeddedBroker.start({ port: await freePort() });
    try {
      const [board, client] = await ptyBoards.open({ model: 'usb' });
      await ledScenario(board, client, broker.port);
    } finally {
      await broker.stop();
    }
  });

  it('sees the broker go away as a board does, and reconnects the way umqtt.robust does, when it is back', async () => {
    const broker = await Mosquitto.start();
    try {
      const [board, client] = await ptyBoards.open({ model: 'usb' });
      await installTinyMqtt(client);
      await client.write(
        `${JOIN_PY}
from machine import Pin
from tinymqtt import MQTTClient
led = Pin(2, Pin.OUT, value=0)
done = []
def on_message(topic, msg):
    if msg == b'bye':
        done.append(1)
    else:
        led.value(msg == b'1')
c = MQTTClient('robust-board', '127.0.0.1', ${broker.port})
c.set_callback(on_message)
def connect():
    while True:
        try:
            c.connect()
            c.subscribe(b'test/led')
            return
        except OSError as e:
            print('RETRY', e.errno if isinstance(e.errno, int) else e)
            time.sleep_ms(200)
connect()
print('SUBSCRIBED')
while not done:
    try:
        c.check_msg()
    except OSError as e:
        print('LOST', e.args[0])
        connect()
        print('RESUBSCRIBED')
    time.sleep_ms(20)
c.disconnect()
\x04`,
      );
      await client.waitFor('SUBSCRIBED', 15_000);
      await mosquittoPub(broker.port, ['-t', 'test/led', '-m', '1']);
      await pinLevel(board, 2, 1);
      await broker.restart();
      // A closed connection reads b'' on a board; the client raises, and the program connects again.
      const lost = await client.waitFor(/LOST -?\d+/, 15_000);
      expect(lost).toMatch(/LOST (-1|104)/);
      await client.waitFor('RESUBSCRIBED', 15_000);
      await mosquittoPub(broker.port, ['-t', 'test/led', '-m', '0']);
      await pinLevel(board, 2, 0);
      await mosquittoPub(broker.port, ['-t', 'test/led', '-m', 'bye']);
      await client.waitFor('>', 10_000);
      // The dropped sockets (the lost one, the refused retries) are not leaked for good: a program that keeps
      // dropping them, many more than a board has, gets the slots of those whose connection is over.
      const refusedPort = await freePort();
      const lines = await run(client, `import socket\ngot = set()\nfor i in range(40):\n    try:\n        socket.socket().connect(('127.0.0.1', ${refusedPort}))\n    except OSError as e:\n        got.add(e.errno)\nprint(sorted(got))`);
      expect(lines).toEqual(['[111]']);
      expect(board.openSockets).toBeLessThanOrEqual(16);
    } finally {
      await broker.stop();
    }
  });

  it('raises what a board raises: no Wi-Fi, refused, timed out, a host it may not reach, a broker that is down', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    const closedPort = await freePort();
    try {
      const [, client] = await ptyBoards.open({ model: 'usb' });
      await installTinyMqtt(client);
      const lines = await run(
        client,
        `
import socket, errno
def attempt(label, f):
    try:
        f()
        print(label, 'no error')
    except OSError as e:
        print(label, e.errno if isinstance(e.errno, int) else e)
attempt('offline getaddrinfo', lambda: socket.getaddrinfo('localhost', 1883))
attempt('offline connect', lambda: socket.socket().connect(('127.0.0.1', 1883)))
${JOIN_PY}
attempt('refused', lambda: socket.socket().connect(('127.0.0.1', ${closedPort})))
def timed_out():
    s = socket.socket()
    s.settimeout(0.3)
    s.connect(('127.0.0.1', ${silentPort}))
    s.read(1)
attempt('read timeout', timed_out)
attempt('internet', lambda: socket.socket().connect(('8.8.8.8', 53)))
attempt('no such host', lambda: socket.getaddrinfo('no-such-host.invalid', 1883))
def nonblocking():
    s = socket.socket()
    s.connect(('127.0.0.1', ${silentPort}))
    s.setblocking(False)
    print('nonblocking read', s.read(1))
    s.recv(1)
attempt('nonblocking recv', nonblocking)
from tinymqtt import MQTTClient
attempt('broker down', lambda: MQTTClient('x', '127.0.0.1', ${closedPort}).connect())
print('names', errno.errorcode[errno.ETIMEDOUT], errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ECONNREFUSED)
`,
        20_000,
      );
      expect(lines).toEqual([
        'offline getaddrinfo -202',
        'offline connect 118',
        'refused 111',
        'read timeout 116',
        'internet 118',
        'no such host -202',
        'nonblocking read None',
        'nonblocking recv 11',
        'broker down 111',
        'names ETIMEDOUT 116 118 111',
      ]);
    } finally {
      silent.close();
    }
  });

  it('waits on sockets with select.poll: readable when data came or the peer closed, writable once connected', async () => {
    const peers: net.Socket[] = [];
    const server = net.createServer((s) => peers.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const [, client] = await ptyBoards.open({ model: 'usb' });
      await run(client, `${JOIN_PY}\nimport socket, select\ns = socket.socket()\ns.connect(('127.0.0.1', ${port}))\np = select.poll()\np.register(s, select.POLLIN | select.POLLOUT)`);
      expect(await run(client, `print([ev for _, ev in p.poll(0)] == [select.POLLOUT])`)).toEqual(['True']);
      await waitUntilTrue(() => peers.length === 1);
      peers[0]!.write('ping');
      expect(await run(client, `p.modify(s, select.POLLIN)\nprint([ev for _, ev in p.poll(5000)] == [select.POLLIN], s.recv(10))`)).toEqual(["True b'ping'"]);
      const started = Date.now();
      expect(await run(client, `print(p.poll(300))`)).toEqual(['[]']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      peers[0]!.end();
      expect(await run(client, `ev = p.poll(5000)[0][1]\nprint(bool(ev & select.POLLIN), bool(ev & select.POLLHUP), s.read(1))`)).toEqual(["True True b''"]);
    } finally {
      server.close();
    }
  });

  it('asks the host where it may connect at each connect, and says when it refused one', async () => {
    let reach: 'local' | 'internet' = 'local';
    const blocked: string[] = [];
    const [, client] = await ptyBoards.open({ model: 'usb', networkReach: () => reach, onConnectionBlocked: (address, port) => blocked.push(`${address}:${port}`) });
    const connect = `
import socket
s = socket.socket()
s.settimeout(3)
try:
    s.connect(('198.51.100.7', 1883))
    print('connected')
except OSError as e:
    print('errno', e.errno)
s.close()
`;
    expect(await run(client, JOIN_PY + connect)).toEqual(['errno 118']);
    expect(blocked).toEqual(['198.51.100.7:1883']);
    // Allowed, the connection is tried for real: whatever the network answers, the host's policy stays out of it.
    reach = 'internet';
    expect(await run(client, connect, 30_000)).toEqual([expect.stringMatching(/^(connected|errno (111|116|118))$/)]);
    expect(blocked).toEqual(['198.51.100.7:1883']);
  });

  it("speaks TLS through ssl.wrap_socket and SSLContext: mosquitto's TLS listener, its CA checked, a wrong CA refused as mbedTLS refuses it", async () => {
    const tlsBroker = await Mosquitto.start({ tls: {} });
    try {
      const { caPem, wrongCaPem } = tlsBroker.certs!;
      // DER, as boards often keep a CA: the PEM's base64 decoded.
      const caDer = Buffer.from(caPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
      const [, client] = await ptyBoards.open({ model: 'usb' });
      const lines = await run(
        client,
        `${JOIN_PY}
import socket, ssl, binascii
def mqtt_over(wrap, label):
    s = socket.socket()
    s.connect(socket.getaddrinfo('localhost', ${tlsBroker.tlsPort})[0][-1])
    try:
        s = wrap(s)
    except OSError as e:
        print(label, 'refused', e.args)
        s.close()
        return
    # CONNECT (client id "tls-board", clean session), then the CONNACK.
    s.write(b'\\x10\\x15\\x00\\x04MQTT\\x04\\x02\\x00\\x00\\x00\\x09tls-board')
    print(label, 'connack', s.read(4))
    s.close()
mqtt_over(lambda s: ssl.wrap_socket(s, server_hostname='localhost'), 'no checks')
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.load_verify_locations(cadata=binascii.unhexlify('${caDer.toString('hex')}'))
mqtt_over(lambda s: ctx.wrap_socket(s, server_hostname='localhost'), 'CA checked')
wrong = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
wrong.load_verify_locations(cadata=${JSON.stringify(wrongCaPem)}.encode())
mqtt_over(lambda s: wrong.wrap_socket(s, server_hostname='localhost'), 'wrong CA')
`,
        20_000,
      );
      expect(lines).toEqual([
        "no checks connack b' \\x02\\x00\\x00'",
        "CA checked connack b' \\x02\\x00\\x00'",
        "wrong CA refused (-9984, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED')",
      ]);
    } finally {
      await tlsBroker.stop();
    }
  });

  it('closes its connections on the host when the board resets, and a Ctrl-C ends a blocking read', async () => {
    const peers: net.Socket[] = [];
    const closed: Promise<void>[] = [];
    const server = net.createServer((s) => {
      peers.push(s);
      closed.push(new Promise((resolve) => s.on('close', () => resolve())));
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const [board, client] = await ptyBoards.open({ model: 'usb' });
      await client.write(`${JOIN_PY}\nimport socket\nkept = socket.socket()\nkept.connect(('127.0.0.1', ${port}))\ns = socket.socket()\ns.connect(('127.0.0.1', ${port}))\nprint('READING')\ns.read(1)\n\x04`);
      await client.waitFor('READING', 15_000);
      await client.write('\x03');
      await client.waitFor('KeyboardInterrupt', 5000);
      await client.waitFor('>', 5000);
      expect(board.openSockets).toBe(2);
      await board.reset();
      await Promise.all(closed);
      expect(peers).toHaveLength(2);
      expect(board.openSockets).toBe(0);
    } finally {
      server.close();
    }
  });
});

async function waitUntilTrue(test: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
