/**
 * The new-device templates, following the seeds' path from a bare board to a
 * device on MQTT: a `config.json` with the Wi-Fi and broker settings, a
 * `boot.py` that joins the Wi-Fi (with a time limit, saying what happened on
 * the REPL) and a `main.py` for the chosen job. Pure: the wizard, the CLI and
 * the tests all make the same files from the same answers.
 *
 * The programs read everything from config.json, so changing the broker or
 * the Wi-Fi is an edit of that file, not of the code.
 */

export type TemplateId = 'led-mqtt' | 'sensor' | 'button' | 'blink';

export interface TemplateInfo {
  id: TemplateId;
  title: string;
  description: string;
  /** Needs Wi-Fi and a broker (all but Blink). */
  network: boolean;
  /** Packages it imports, installed with it (mip names). */
  packages: string[];
  /** What the pin does, for the wizard's label. */
  pinRole: string;
  defaultPin: number;
}

export const TEMPLATES: readonly TemplateInfo[] = [
  {
    id: 'led-mqtt',
    title: 'LED switched over MQTT',
    description: 'Subscribes to PREFIX/led: "1" turns the LED on, "0" off; reports the state on PREFIX/led/state.',
    network: true,
    packages: ['umqtt.simple'],
    pinRole: 'LED pin',
    defaultPin: 2,
  },
  {
    id: 'sensor',
    title: 'Sensor publisher',
    description: 'Reads an analog pin every N seconds and publishes JSON to PREFIX/sensor.',
    network: true,
    packages: ['umqtt.simple'],
    pinRole: 'Sensor pin (analog)',
    defaultPin: 34,
  },
  {
    id: 'button',
    title: 'Button alarm',
    description: 'Publishes to PREFIX/alarm when the button on the pin is pressed (falling edge, pull-up).',
    network: true,
    packages: ['umqtt.simple'],
    pinRole: 'Button pin',
    defaultPin: 0,
  },
  {
    id: 'blink',
    title: 'Blink',
    description: 'Blinks the LED on the pin. No network.',
    network: false,
    packages: [],
    pinRole: 'LED pin',
    defaultPin: 2,
  },
];

export interface DeviceAnswers {
  template: TemplateId;
  wifi?: { ssid: string; password: string };
  broker?: { host: string; port: number; user?: string; password?: string };
  /** Empty: the board's machine.unique_id() in hex. */
  clientId: string;
  /** Topics start with this ("test" gives test/led, as in the seeds). */
  topicPrefix: string;
  pin: number;
  /** Seconds between sensor readings. */
  intervalS: number;
}

export interface DeviceFiles {
  /** Board path -> text. */
  files: Record<string, string>;
  /** Packages to install first. */
  packages: string[];
  /** The topics the device uses, for the explorer and its dashboard. */
  topics: { command?: string; state?: string; publish?: string };
}

export function templateInfo(id: TemplateId): TemplateInfo {
  const info = TEMPLATES.find((t) => t.id === id);
  if (!info) throw new Error(`There is no template "${id}".`);
  return info;
}

/** A topic prefix a person may type: levels of letters, digits and -_.; no wildcards, no empty level. */
export function checkTopicPrefix(prefix: string): string | undefined {
  if (prefix === '') return 'Give the topics a prefix, such as "test" or "home/desk".';
  if (/[#+]/.test(prefix)) return 'A topic prefix cannot contain "+" or "#".';
  if (prefix.split('/').some((level) => level === '')) return 'A topic prefix has no empty levels (no leading, trailing or double "/").';
  if (prefix.length > 200) return 'Keep the prefix under 200 characters.';
  return undefined;
}

/** The files for these answers; throws on answers the wizard would not accept. */
export function deviceFiles(answers: DeviceAnswers): DeviceFiles {
  const info = templateInfo(answers.template);
  if (!Number.isInteger(answers.pin) || answers.pin < 0 || answers.pin > 48) throw new Error(`GPIO ${answers.pin} is not a pin number (0-48).`);
  const files: Record<string, string> = {};
  const prefix = answers.topicPrefix;
  if (info.network) {
    const problem = checkTopicPrefix(prefix);
    if (problem) throw new Error(problem);
    if (!answers.wifi?.ssid) throw new Error('This template needs the Wi-Fi network name.');
    if (!answers.broker?.host) throw new Error('This template needs a broker address.');
  }
  const config: Record<string, unknown> = { pin: answers.pin };
  if (info.network) {
    config.wifi = { ssid: answers.wifi!.ssid, password: answers.wifi!.password };
    const mqtt: Record<string, unknown> = { broker: answers.broker!.host, port: answers.broker!.port, client_id: answers.clientId, prefix };
    if (answers.broker!.user) mqtt.user = answers.broker!.user;
    if (answers.broker!.password) mqtt.password = answers.broker!.password;
    config.mqtt = mqtt;
  }
  if (answers.template === 'sensor') config.interval_s = answers.intervalS;
  files['/config.json'] = JSON.stringify(config, null, 2) + '\n';
  if (info.network) files['/boot.py'] = BOOT_PY;
  files['/main.py'] = MAIN_PY[answers.template];
  const topics: DeviceFiles['topics'] =
    answers.template === 'led-mqtt'
      ? { command: `${prefix}/led`, state: `${prefix}/led/state` }
      : answers.template === 'sensor'
        ? { publish: `${prefix}/sensor` }
        : answers.template === 'button'
          ? { publish: `${prefix}/alarm` }
          : {};
  return { files, packages: info.packages, topics };
}

const BOOT_PY = `# boot.py, written by Pinwheel's new device wizard: joins the Wi-Fi named in
# config.json, giving up after a while so the REPL stays usable without it.
import json
import network
import time

WIFI_TIMEOUT_S = 15


def join_wifi():
    try:
        with open('config.json') as f:
            wifi = json.load(f).get('wifi') or {}
    except (OSError, ValueError) as e:
        print('Wi-Fi: no usable config.json (%s); not joining' % e)
        return False
    if not wifi.get('ssid'):
        return False
    sta = network.WLAN(network.STA_IF)
    sta.active(True)
    if sta.isconnected():
        print('Wi-Fi: connected to %s, address %s' % (wifi['ssid'], sta.ifconfig()[0]))
        return True
    print('Wi-Fi: joining %s ...' % wifi['ssid'])
    sta.connect(wifi['ssid'], wifi.get('password', ''))
    start = time.ticks_ms()
    while not sta.isconnected():
        if sta.status() == network.STAT_WRONG_PASSWORD:
            print('Wi-Fi: wrong password for %s; fix it in config.json' % wifi['ssid'])
            return False
        if time.ticks_diff(time.ticks_ms(), start) > WIFI_TIMEOUT_S * 1000:
            print('Wi-Fi: %s did not answer within %d s; main.py will try without it' % (wifi['ssid'], WIFI_TIMEOUT_S))
            return False
        time.sleep_ms(200)
    print('Wi-Fi: connected to %s, address %s' % (wifi['ssid'], sta.ifconfig()[0]))
    return True


join_wifi()
`;

/** The part every MQTT template starts with: settings, client id, connecting with retries. */
const MQTT_PRELUDE = `import json
import time
import machine
import binascii
from umqtt.simple import MQTTClient

with open('config.json') as f:
    config = json.load(f)
mqtt = config['mqtt']
prefix = mqtt['prefix']
client_id = mqtt.get('client_id') or binascii.hexlify(machine.unique_id()).decode()


def connect():
    while True:
        try:
            client = MQTTClient(client_id, mqtt['broker'], port=mqtt.get('port', 1883),
                                user=mqtt.get('user'), password=mqtt.get('password'), keepalive=60)
            client.connect()
            print('MQTT: connected to %s:%d as %s' % (mqtt['broker'], mqtt.get('port', 1883), client_id))
            return client
        except OSError as e:
            print('MQTT: could not reach %s (%s); trying again in 5 s' % (mqtt['broker'], e))
            time.sleep(5)


def reconnect(error):
    print('MQTT: connection lost (%s); reconnecting' % error)
    return connect()


last_ping = [time.ticks_ms()]


def keep_alive(client):
    # The broker drops a client that says nothing for 1.5 keepalives (60 s): ping well inside that.
    if time.ticks_diff(time.ticks_ms(), last_ping[0]) > 30000:
        client.ping()
        last_ping[0] = time.ticks_ms()
`;

const MAIN_PY: Record<TemplateId, string> = {
  'led-mqtt': `# main.py, written by Pinwheel's new device wizard: the LED follows PREFIX/led
# ("1" on, "0" off) and the state is reported on PREFIX/led/state.
${MQTT_PRELUDE}
led = machine.Pin(config['pin'], machine.Pin.OUT)
command_topic = prefix + '/led'
state_topic = command_topic + '/state'


def report(client):
    client.publish(state_topic, b'1' if led.value() else b'0', retain=True)


def on_message(topic, message):
    value = message.strip().lower()
    if value in (b'1', b'on', b'true'):
        led.value(1)
    elif value in (b'0', b'off', b'false'):
        led.value(0)
    else:
        print('MQTT: ignored %r on %s (send 1 or 0)' % (message, topic.decode()))
        return
    print('LED', 'on' if led.value() else 'off')
    report(client)


client = connect()
client.set_callback(on_message)
client.subscribe(command_topic)
report(client)
print('MQTT: listening on', command_topic)
while True:
    try:
        client.check_msg()
        keep_alive(client)
    except OSError as e:
        client = reconnect(e)
        client.set_callback(on_message)
        client.subscribe(command_topic)
        report(client)
    time.sleep_ms(50)
`,
  sensor: `# main.py, written by Pinwheel's new device wizard: every interval_s seconds,
# reads the analog pin and publishes JSON to PREFIX/sensor.
${MQTT_PRELUDE}
import gc

topic = prefix + '/sensor'
interval_s = config.get('interval_s', 5)
try:
    adc = machine.ADC(machine.Pin(config['pin']))

    def read_sensor():
        return {'value': adc.read_u16()}
except (AttributeError, ValueError) as e:
    # No ADC on this pin (or this board): the uptime and free memory still go out.
    print('Sensor: no analog input on GPIO %d (%s); publishing uptime and memory only' % (config['pin'], e))

    def read_sensor():
        return {}


client = connect()
print('MQTT: publishing to %s every %s s' % (topic, interval_s))
count = 0
while True:
    reading = read_sensor()
    reading['n'] = count
    reading['uptime_s'] = time.ticks_ms() // 1000
    reading['mem_free'] = gc.mem_free()
    try:
        client.publish(topic, json.dumps(reading))
    except OSError as e:
        client = reconnect(e)
    count += 1
    time.sleep(interval_s)
`,
  button: `# main.py, written by Pinwheel's new device wizard: publishes to PREFIX/alarm
# each time the button on the pin is pressed (to ground; the pull-up holds it high).
${MQTT_PRELUDE}
topic = prefix + '/alarm'
button = machine.Pin(config['pin'], machine.Pin.IN, machine.Pin.PULL_UP)
presses = [0]


def pressed(pin):
    presses[0] += 1


button.irq(handler=pressed, trigger=machine.Pin.IRQ_FALLING)
client = connect()
print('MQTT: will publish presses to', topic)
sent = 0
while True:
    try:
        if presses[0] != sent:
            sent = presses[0]
            client.publish(topic, json.dumps({'pressed': sent, 'uptime_s': time.ticks_ms() // 1000}))
            print('Alarm sent (%d)' % sent)
        keep_alive(client)
    except OSError as e:
        client = reconnect(e)
    time.sleep_ms(20)
`,
  blink: `# main.py, written by Pinwheel's new device wizard: blinks the LED on the pin.
import json
import time
from machine import Pin

with open('config.json') as f:
    config = json.load(f)
led = Pin(config['pin'], Pin.OUT)
while True:
    led.value(not led.value())
    time.sleep(0.5)
`,
};
