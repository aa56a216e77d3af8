/**
 * Entry point of the web host: `node dist/electron/host/main.js [--port N]
 * [--host ADDR] [--no-open]`. `npm start` runs it when no Electron binary is
 * installed. Prints one line with the URL to open.
 */
import { parseArgs } from 'node:util';
import { RENDERER_DIR } from '../node/appPaths.js';
import { createBackend } from '../node/services/createBackend.js';
import { openBrowser } from './openBrowser.js';
import { WebHost } from './WebHost.js';

const USAGE = `Usage: pinwheel-web [--port N] [--host ADDR] [--no-open]
  --port N      port to listen on (default: a free one)
  --host ADDR   address to bind (default 127.0.0.1). Anything else exposes
                Pinwheel to your network: anyone with the printed URL can
                use your boards.
  --no-open     do not open a browser`;

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'no-open': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, not "${values.port}".`);
    process.exit(2);
  }

  const backend = await createBackend({ host: 'web' });
  const host = new WebHost({
    dispatcher: backend.dispatcher,
    events: backend.events,
    rendererDir: RENDERER_DIR,
    host: values.host ?? '127.0.0.1',
    port,
    log: process.env.PINWHEEL_DEBUG ? (line) => console.error(`[web-host] ${line}`) : undefined,
  });
  try {
    await host.listen();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    console.error(
      e.code === 'EADDRINUSE'
        ? `Port ${port} is already in use. Pick another with --port, or leave it out to use a free one.`
        : `Could not start the web host on ${values.host ?? '127.0.0.1'}:${port}: ${e.message}`,
    );
    await backend.dispose();
    process.exit(1);
  }
  if (!host.isLoopbackOnly) {
    console.error(
      `Warning: Pinwheel is listening on ${host.bindAddress}, reachable from your network. ` +
        'Anyone who learns the URL below can control the boards on this computer.',
    );
  }
  console.log(`Pinwheel web host (no Electron binary here) is ready: ${host.url}`);
  if (!values['no-open'] && process.stdout.isTTY && !process.env.CI) void openBrowser(host.url);

  const shutdown = async () => {
    await host.close();
    await backend.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

void main();
