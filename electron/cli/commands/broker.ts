/**
 * `pinwheel broker`: an MQTT broker on this computer for boards and tools to
 * meet at (no mosquitto needed), until Ctrl-C. Its own command line: --port
 * is the broker's port here, not a serial port.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../common/util/format.js';
import { userDataDir } from '../../node/appPaths.js';
import { DEFAULT_BROKER_PORT, EmbeddedBroker } from '../../node/mqtt/EmbeddedBroker.js';
import { CommandError, UsageError } from '../CommandError.js';
import type { MqttIo } from './mqtt.js';

export const BROKER_USAGE = [
  'Usage: pinwheel broker [--port N] [--lan] [--username U --password P]',
  '',
  'Runs an MQTT broker on this computer until Ctrl-C; retained messages are kept across restarts.',
  `  -p, --port N        the port to listen on (default ${DEFAULT_BROKER_PORT}; the next free one when taken)`,
  '      --lan           listen on the network too, so boards on your Wi-Fi can connect (default: this computer only)',
  '  -u, --username U    -P, --password P   clients must give these',
].join('\n');

const FLAGS = {
  port: { type: 'string', short: 'p' },
  lan: { type: 'boolean' },
  username: { type: 'string', short: 'u' },
  password: { type: 'string', short: 'P' },
  help: { type: 'boolean' },
} as const;

export async function brokerMain(argv: string[], io: MqttIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, allowPositionals: false, strict: true }));
  } catch (err) {
    throw new UsageError(`${errorMessage(err)}\n${BROKER_USAGE}`);
  }
  if (values.help) {
    io.stdout.write(`${BROKER_USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_BROKER_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new UsageError(`--port must be a whole number from 1 to 65535, not "${values.port}".`);
  if ((values.username === undefined) !== (values.password === undefined)) throw new UsageError('Give --username and --password together.');
  let broker: EmbeddedBroker;
  try {
    broker = await EmbeddedBroker.start({
      port,
      lan: values.lan === true,
      ...(values.username !== undefined && values.password !== undefined ? { username: values.username, password: values.password } : {}),
      retainedFile: path.join(userDataDir(), 'broker', 'retained.json'),
    });
  } catch (err) {
    throw new CommandError(errorMessage(err));
  }
  const moved = broker.port !== port ? ` (port ${port} was in use)` : '';
  const say = (line: string) => io.stdout.write(`${line}\n`);
  if (values.lan) {
    const addresses = broker.addresses();
    say(`Pinwheel broker listening on port ${broker.port} of every network interface${moved}.`);
    say(addresses.length > 0 ? `Boards on your network connect to: ${addresses.map((a) => `${a}:${broker.port}`).join(', ')}` : 'This computer has no network address right now: only local clients can connect.');
    if (addresses[0]) say(`In MicroPython (umqtt.simple): MQTTClient("board-1", "${addresses[0]}", port=${broker.port})`);
    if (values.username === undefined) say('Warning: anyone on this network can publish and subscribe. Add --username and --password to require them.');
  } else {
    say(`Pinwheel broker listening on 127.0.0.1:${broker.port}${moved} (this computer only; --lan lets boards on your network in).`);
  }
  say('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await broker.stop();
  say('Broker stopped.');
  return 0;
}
