/**
 * A real mosquitto broker for a test, on a free loopback port with a config
 * of its own (anonymous clients allowed, nothing persisted), stopped with the
 * test. Debian's `mosquitto` package; `.ci/run` installs it with
 * `mosquitto-clients` (mosquitto_pub/mosquitto_sub, for interop tests) and
 * `openssl` (the test certificates).
 *
 * Options add listeners and checks to that plain listener:
 * - `tls`: a TLS listener on `tlsPort`, with a server certificate for
 *   `localhost` and 127.0.0.1 signed by a test CA made with the `openssl` CLI
 *   (`certs` has the PEMs, and a second, unrelated CA to check that
 *   verification fails); `requireClientCert` makes the broker require a
 *   client certificate signed by the test CA, which `certs` then also holds.
 * - `websockets`: a `protocol websockets` listener on `wsPort`.
 * - `auth`: one user in a password file (`mosquitto_passwd`), no anonymous
 *   clients.
 *
 * `restart()` stops the broker process and starts it again on the same ports
 * with the same config (nothing is persisted, so sessions and retained
 * messages are gone, as after a real broker restart without persistence).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const MOSQUITTO = fs.existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
export const MOSQUITTO_PASSWD = fs.existsSync('/usr/bin/mosquitto_passwd') ? '/usr/bin/mosquitto_passwd' : 'mosquitto_passwd';
export const OPENSSL = fs.existsSync('/usr/bin/openssl') ? '/usr/bin/openssl' : 'openssl';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `count` distinct free loopback ports. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

/** Resolves once `port` accepts TCP connections; rejects early if `exited()` says the broker has gone. */
async function accepting(port: number, timeoutMs: number, exited: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (exited()) throw new Error(`mosquitto exited before listening on ${port}`);
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function run(file: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${err.message}\n${stderr}`)) : resolve(),
    );
  });
}

// ---------------------------------------------------------------------------
// Test certificates

export interface MosquittoOptions {
  tls?: { requireClientCert?: boolean };
  /** Debian's mosquitto 2.0.11 is built with libwebsockets; this listener binds every interface whatever the config says. */
  websockets?: boolean;
  auth?: { username: string; password: string };
}

export interface MosquittoCerts {
  /** The CA that signed the broker's certificate (and the client certificate). */
  caFile: string;
  caPem: string;
  /** A CA that signed nothing here: verification against it must fail. */
  wrongCaFile: string;
  wrongCaPem: string;
  /** Only with `tls.requireClientCert`. */
  clientCertFile?: string;
  clientCertPem?: string;
  clientKeyFile?: string;
  clientKeyPem?: string;
}

/** The files of the test PKI that tests use (see `testPki`), and their names in a broker's dir. */
const PKI = {
  ca: 'ca.crt',
  wrongCa: 'wrong-ca.crt',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  clientCert: 'client.crt',
  clientKey: 'client.key',
} as const;

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no

[dn]
CN = unused

[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

async function makeTestPki(dir: string): Promise<void> {
  const cnf = path.join(dir, 'openssl.cnf');
  fs.writeFileSync(cnf, OPENSSL_CONFIG);
  const openssl = (...args: string[]) => run(OPENSSL, args, dir);
  const key = (file: string) =>
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-pkeyopt', 'ec_param_enc:named_curve', '-out', file);
  const ca = (name: string, cn: string) =>
    openssl('req', '-config', cnf, '-new', '-x509', '-sha256', '-days', '3650', '-key', `${name}.key`, '-subj', `/CN=${cn}`,
      '-extensions', 'ca_ext', '-out', `${name}.crt`);
  const leaf = async (name: string, cn: string, ext: string) => {
    await openssl('req', '-config', cnf, '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`);
    const serial = '0x' + Math.floor(Math.random() * 2 ** 48).toString(16).padStart(12, '0');
    await openssl('x509', '-req', '-sha256', '-days', '3650', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key',
      '-set_serial', serial, '-extfile', cnf, '-extensions', ext, '-out', `${name}.crt`);
  };
  await Promise.all(['ca.key', 'wrong-ca.key', PKI.serverKey, PKI.clientKey].map(key));
  await Promise.all([ca('ca', 'Pinwheel test CA'), ca('wrong-ca', 'Pinwheel unrelated test CA')]);
  await Promise.all([leaf('server', 'localhost', 'server_ext'), leaf('client', 'pinwheel-test-client', 'client_ext')]);
}

type Pki = Record<keyof typeof PKI, string>;

let pki: Promise<Pki> | undefined;

/**
 * The PEMs of the test PKI: made once per test process (a few openssl runs,
 * EC P-256 keys) in a temp dir that is gone once they are read, so nothing
 * is left behind however the process ends.
 */
function testPki(): Promise<Pki> {
  pki ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-test-pki-'));
    try {
      await makeTestPki(dir);
      const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
      return Object.fromEntries(Object.entries(PKI).map(([name, file]) => [name, read(file)])) as Pki;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  })().catch((err: unknown) => {
    pki = undefined;
    throw err;
  });
  return pki;
}

// ---------------------------------------------------------------------------

export class Mosquitto {
  private child: ChildProcess;
  private outputText = '';

  private constructor(
    /** The plain MQTT listener. */
    readonly port: number,
    /** The TLS listener, with `tls`. */
    readonly tlsPort: number | undefined,
    /** The websockets listener, with `websockets`. */
    readonly wsPort: number | undefined,
    /** With `tls`. */
    readonly certs: MosquittoCerts | undefined,
    private readonly dir: string,
    private readonly config: string,
  ) {
    this.child = this.spawnBroker();
  }

  static async start(options: MosquittoOptions = {}): Promise<Mosquitto> {
    const ports = await freePorts(1 + (options.tls ? 1 : 0) + (options.websockets ? 1 : 0));
    const port = ports.shift()!;
    const tlsPort = options.tls ? ports.shift()! : undefined;
    const wsPort = options.websockets ? ports.shift()! : undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-mosquitto-'));
    try {
      const lines = [`listener ${port} 127.0.0.1`];
      const global = [options.auth ? 'allow_anonymous false' : 'allow_anonymous true', 'persistence false'];
      // Started as root, mosquitto switches to the `mosquitto` user before it
      // reads certificates and the password file, and that user cannot read
      // this private temp dir: keep the test's own user.
      if ((options.tls || options.auth) && process.geteuid?.() === 0) global.unshift('user root');
      let certs: MosquittoCerts | undefined;
      if (options.auth) {
        const file = path.join(dir, 'passwd');
        await run(MOSQUITTO_PASSWD, ['-b', '-c', file, options.auth.username, options.auth.password]);
        global.push(`password_file ${file}`);
      }
      if (options.tls) {
        const pems = await testPki();
        const write = (name: keyof Pki) => {
          const file = path.join(dir, PKI[name]);
          fs.writeFileSync(file, pems[name], { mode: 0o600 });
          return file;
        };
        certs = { caFile: write('ca'), caPem: pems.ca, wrongCaFile: write('wrongCa'), wrongCaPem: pems.wrongCa };
        lines.push(
          `listener ${tlsPort} 127.0.0.1`,
          `cafile ${certs.caFile}`,
          `certfile ${write('serverCert')}`,
          `keyfile ${write('serverKey')}`,
          `require_certificate ${options.tls.requireClientCert ? 'true' : 'false'}`,
        );
        if (options.tls.requireClientCert) {
          Object.assign(certs, {
            clientCertFile: write('clientCert'),
            clientCertPem: pems.clientCert,
            clientKeyFile: write('clientKey'),
            clientKeyPem: pems.clientKey,
          });
        }
      }
      // mosquitto 2.0.11 refuses a config whose only listener is a websockets
      // one ("Unable to start any listening sockets"); here the plain listener
      // is always there.
      if (options.websockets) lines.push(`listener ${wsPort} 127.0.0.1`, 'protocol websockets');
      const config = path.join(dir, 'mosquitto.conf');
      fs.writeFileSync(config, [...global, ...lines, ''].join('\n'));
      const broker = new Mosquitto(port, tlsPort, wsPort, certs, dir, config);
      try {
        await broker.ready();
      } catch (err) {
        await broker.stop();
        throw new Error(`${(err as Error).message}: ${broker.output}`);
      }
      return broker;
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** What the broker printed, over all its runs (see `restart`). */
  get output(): string {
    return this.outputText;
  }

  /**
   * Stops the broker process and starts it again with the same config on the
   * same ports; resolves once every listener accepts connections again.
   */
  async restart(): Promise<void> {
    await this.kill();
    this.child = this.spawnBroker();
    try {
      await this.ready();
    } catch (err) {
      throw new Error(`${(err as Error).message} (after restart): ${this.output}`);
    }
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private spawnBroker(): ChildProcess {
    const child = spawn(MOSQUITTO, ['-c', this.config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (this.outputText += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.outputText += d.toString()));
    child.once('error', (err) => (this.outputText += `could not run ${MOSQUITTO}: ${err.message}\n`));
    return child;
  }

  private async ready(): Promise<void> {
    const child = this.child;
    const exited = () => child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
    for (const port of [this.port, this.tlsPort, this.wsPort]) {
      if (port !== undefined) await accepting(port, 5000, exited);
    }
  }

  private async kill(): Promise<void> {
    const child = this.child;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}
