// The .deb's after-install and after-remove scripts, run as dpkg would but into a scratch root
// (PINWHEEL_TEST_ROOT) with the system tools they call replaced by recorders: the command link,
// the AppArmor profile (only where AppArmor reads abi 4.0), chrome-sandbox's mode (setuid only
// without user namespaces), the udev rules (install -D: no /etc/udev/rules.d yet), the desktop
// database; and removal undoing it, except on upgrade. shellcheck reads both scripts.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const LINUX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/linux');
const TOOLS = ['apparmor_parser', 'udevadm', 'update-desktop-database', 'update-mime-database'];
const scratch: string[] = [];

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A machine as the package leaves it before the script runs; `apparmor` adds AppArmor with abi 4.0, `userns` the kernel's user namespaces. */
function machine(options: { apparmor: boolean; userns: boolean }) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-deb-root-'));
  const bin = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-deb-bin-'));
  scratch.push(root, bin);
  const app = path.join(root, 'opt/Pinwheel');
  mkdirSync(path.join(app, 'resources/linux'), { recursive: true });
  writeFileSync(path.join(app, 'pinwheel'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(path.join(app, 'chrome-sandbox'), '', { mode: 0o755 });
  for (const name of ['60-pinwheel-serial.rules', 'apparmor-profile']) writeFileSync(path.join(app, 'resources/linux', name), readFileSync(path.join(LINUX, name)));
  if (options.apparmor) {
    mkdirSync(path.join(root, 'etc/apparmor.d/abi'), { recursive: true });
    writeFileSync(path.join(root, 'etc/apparmor.d/abi/4.0'), '');
  }
  if (options.userns) {
    mkdirSync(path.join(root, 'proc/self/ns'), { recursive: true });
    symlinkSync('user:[4026531837]', path.join(root, 'proc/self/ns/user'));
  }
  const calls = path.join(bin, 'calls.log');
  for (const tool of TOOLS) {
    const file = path.join(bin, tool);
    writeFileSync(file, `#!/bin/sh\necho "${tool} $*" >> "${calls}"\n`);
    chmodSync(file, 0o755);
  }
  const script = (name: string, ...args: string[]) =>
    run('sh', [path.join(LINUX, name), ...args], { env: { PATH: `${bin}:/usr/bin:/bin`, PINWHEEL_TEST_ROOT: root } });
  const called = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);
  return { root, app, script, called, at: (p: string) => path.join(root, p) };
}

describe('the .deb scripts', () => {
  it('after-install: the command, the AppArmor profile, the sandbox mode, udev rules and the desktop database', async () => {
    const m = machine({ apparmor: true, userns: true });
    await m.script('after-install.sh', 'configure');
    expect(readlinkSync(m.at('usr/bin/pinwheel'))).toBe('/opt/Pinwheel/pinwheel');
    expect(readFileSync(m.at('etc/apparmor.d/pinwheel'), 'utf8')).toContain('profile pinwheel /opt/Pinwheel/pinwheel flags=(unconfined)');
    expect(readFileSync(m.at('etc/apparmor.d/pinwheel'), 'utf8')).toContain('userns,');
    expect(statSync(path.join(m.app, 'chrome-sandbox')).mode & 0o7777).toBe(0o755);
    expect(readFileSync(m.at('etc/udev/rules.d/60-pinwheel-serial.rules'), 'utf8')).toBe(readFileSync(path.join(LINUX, '60-pinwheel-serial.rules'), 'utf8'));
    expect(m.called()).toEqual([
      `apparmor_parser --replace --write-cache --skip-read-cache ${m.at('etc/apparmor.d/pinwheel')}`,
      'udevadm control --reload-rules',
      'udevadm trigger --subsystem-match=tty',
      `update-desktop-database ${m.at('usr/share/applications')}`,
      `update-mime-database ${m.at('usr/share/mime')}`,
    ]);
    // Running it again (a reinstall) is fine.
    await m.script('after-install.sh', 'configure');
  });

  it('after-install: no profile where AppArmor cannot read it, chrome-sandbox setuid without user namespaces', async () => {
    const m = machine({ apparmor: false, userns: false });
    await m.script('after-install.sh', 'configure');
    expect(existsSync(m.at('etc/apparmor.d/pinwheel'))).toBe(false);
    expect(statSync(path.join(m.app, 'chrome-sandbox')).mode & 0o7777).toBe(0o4755);
    expect(m.called().some((c) => c.startsWith('apparmor_parser'))).toBe(false);
  });

  it('after-remove: undoes it on remove and purge, and keeps everything on upgrade', async () => {
    const m = machine({ apparmor: true, userns: true });
    await m.script('after-install.sh', 'configure');
    await m.script('after-remove.sh', 'upgrade');
    expect(existsSync(m.at('usr/bin/pinwheel'))).toBe(false); // the link's target is /opt/... outside the scratch root
    expect(readlinkSync(m.at('usr/bin/pinwheel'))).toBe('/opt/Pinwheel/pinwheel');
    expect(existsSync(m.at('etc/apparmor.d/pinwheel'))).toBe(true);
    await m.script('after-remove.sh', 'remove');
    expect(() => readlinkSync(m.at('usr/bin/pinwheel'))).toThrow();
    expect(existsSync(m.at('etc/apparmor.d/pinwheel'))).toBe(false);
    expect(existsSync(m.at('etc/udev/rules.d/60-pinwheel-serial.rules'))).toBe(false);
    expect(m.called()).toContain(`apparmor_parser --remove ${m.at('etc/apparmor.d/pinwheel')}`);
    // Someone else's pinwheel command is not ours to remove.
    symlinkSync('/usr/local/bin/other-pinwheel', m.at('usr/bin/pinwheel'));
    await m.script('after-remove.sh', 'purge');
    expect(readlinkSync(m.at('usr/bin/pinwheel'))).toBe('/usr/local/bin/other-pinwheel');
  });

  it('passes shellcheck', () => {
    // .ci/run installs shellcheck; a developer machine without it is told so rather than skipped silently.
    let version = '';
    try {
      version = execFileSync('shellcheck', ['--version'], { encoding: 'utf8' });
    } catch {
      throw new Error('shellcheck is not installed (apt install shellcheck; .ci/run installs it)');
    }
    expect(version).toMatch(/version/);
    execFileSync('shellcheck', ['--shell=sh', path.join(LINUX, 'after-install.sh'), path.join(LINUX, 'after-remove.sh')], { encoding: 'utf8' });
  });
});
