/**
 * The new-device wizard as a person goes through it on the virtual board: pick
 * "LED switched over MQTT", keep the prefilled Wi-Fi and this computer's
 * broker, set the pin, and set it up. The board gets the MQTT client (from a
 * local package index the test serves) and the files, resets, and the MQTT
 * view opens on the broker with a dashboard switch. mosquitto_pub lights the
 * LED drawn in the board card, and the switch turns it off again. A board
 * with its own mip is asked to download a package itself.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { PackageIndexServer } from '../support/PackageIndexServer.js';
import { VirtualBoard } from '../../electron/node/vboard/VirtualBoard.js';
import { connectOtherPort, connectVirtualBoard, openWorkbench, waitForTerminal, waitUntil } from './pinwheelPage.js';

const run = promisify(execFile);

describe('the new-device wizard on the virtual board', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let index: PackageIndexServer;

  beforeAll(async () => {
    index = await new PackageIndexServer({
      'umqtt.simple': { version: '1.4.0', files: { 'umqtt/simple.py': readFileSync(new URL('../support/boardPython/tinymqtt.py', import.meta.url), 'utf8') } },
    }).start();
    host = await startWebHost({ env: { PINWHEEL_PACKAGE_INDEX: index.url } });
    browser = await launchBrowser();
    ({ page, errors } = await openWorkbench(browser, host));
    await connectVirtualBoard(page);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await index?.stop();
  });

  const led = () => page.getByTestId('status-led');

  it('asks for the template, Wi-Fi, broker, prefix and pin, and says what it will write', async () => {
    await page.getByTestId('board-card').getByRole('button', { name: 'New device…' }).click();
    const dialog = page.getByTestId('dialog-new-device');
    await dialog.getByRole('radio', { name: /LED switched over MQTT/ }).check();
    await expect(dialog.getByLabel('Wi-Fi network').inputValue()).resolves.toBe('Pinwheel');
    // The password is never shown in clear.
    await expect(dialog.getByLabel('Wi-Fi password').getAttribute('type')).resolves.toBe('password');
    await dialog.getByLabel('Topic prefix').fill('test/');
    await dialog.getByText('no empty levels').waitFor();
    await dialog.getByLabel('Topic prefix').fill('test');
    await dialog.getByLabel('LED pin (GPIO)').fill('2');
    const summary = dialog.getByRole('status', { name: 'What will happen' });
    await summary.getByText('Install umqtt.simple to /lib').waitFor();
    await summary.getByText(/Write config\.json, boot\.py, main\.py/).waitFor();
    await screenshot(page, 'new-device-wizard');
    await dialog.getByRole('button', { name: 'Set up the device' }).click();
    await page.getByText('Set up "LED switched over MQTT"').waitFor({ timeout: 60_000 });
    await waitForTerminal(page, 'MQTT: listening on test/led', { timeout: 30_000 });
  });

  it('opens the MQTT view on the broker; mosquitto_pub lights the LED and the dashboard switch turns it off', async () => {
    await page.getByRole('status', { name: 'Connection state' }).getByText(/Connected as/).waitFor({ timeout: 15_000 });
    const brokerText = await page.getByRole('tablist', { name: 'MQTT connections' }).getByRole('tab', { selected: true }).textContent();
    const port = /127\.0\.0\.1:(\d+)/.exec(brokerText ?? '')?.[1];
    expect(port, `the connection tab says ${brokerText}`).toBeDefined();
    await expect(led().getAttribute('data-on')).resolves.toBe('false');
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port!, '-t', 'test/led', '-m', '1']);
    await page.locator('[data-testid=status-led][data-on=true]').waitFor({ timeout: 10_000 });

    const panel = page.getByTestId('mqtt-panel');
    await panel.getByRole('tab', { name: 'Dashboard' }).click();
    const toggle = panel.getByRole('switch', { name: 'LED (test/led)' });
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('true');
    await screenshot(page, 'new-device-led-on');
    await toggle.click();
    await page.locator('[data-testid=status-led][data-on=false]').waitFor({ timeout: 10_000 });
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('false');
  });

  it("lets a board with its own mip download a package itself, asking the board's mip with the chosen index", async () => {
    // A board on a serial port (a virtual board on a pty) whose firmware has mip: here a stand-in
    // the test writes, recording what it was asked (micropython-lib's mip is not ours to ship).
    const flash = mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-mip-flash-'));
    mkdirSync(path.join(flash, 'lib'));
    writeFileSync(
      path.join(flash, 'lib', 'mip.py'),
      "def install(package, index=None, target=None, version=None, mpy=True):\n    with open('/mip-calls.txt', 'a') as f:\n        f.write('%s %s\\n' % (package, index))\n    print('board mip: installing', package, 'from', index)\n",
    );
    const port = path.join(mkdtempSync(path.join(os.tmpdir(), 'pinwheel-e2e-mip-dev-')), 'ttyUSB0');
    const board = await VirtualBoard.start({ model: 'uart', flashDir: flash });
    try {
      await board.exposeOnPty({ path: port });
      await connectOtherPort(page, port);
      const card = page.getByTestId('board-card');
      await card.getByText('Libraries', { exact: false }).first().click();
      await card.getByRole('checkbox', { name: /Let the board download it with mip/ }).check();
      await card.getByText('Package index').click();
      await card.getByLabel('Package index URL').fill('https://mirror.test/pi');
      await card.getByLabel('Package to install').fill('umqtt.simple');
      await card.getByRole('button', { name: 'Install' }).click();
      await waitForTerminal(page, 'board mip: installing umqtt.simple from https://mirror.test/pi', { timeout: 15_000 });
      await waitUntil('the board to record the call', async () => {
        try {
          return readFileSync(path.join(flash, 'mip-calls.txt'), 'utf8') === 'umqtt.simple https://mirror.test/pi\n';
        } catch {
          return false;
        }
      });
    } finally {
      await board.stop();
      rmSync(flash, { recursive: true, force: true });
    }
  });

  it('ran without page errors', () => {
    expect(errors).toEqual([]);
  });
});
