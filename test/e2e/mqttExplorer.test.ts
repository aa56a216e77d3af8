/**
 * The MQTT explorer as a person uses it, through the web host in Chromium,
 * against a real mosquitto and the embedded broker: connect by URL, watch `#`
 * as the tree grows, filter, open a message, publish (mosquitto_sub hears it),
 * plot a topic's numbers, start the broker on this computer and connect to it.
 */
import { execFile, spawn } from 'node:child_process';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startWebHost, type RunningHost } from '../helpers/webHost.js';
import { Mosquitto } from '../support/mosquitto.js';
import { openWorkbench, waitUntil } from './pinwheelPage.js';

function mosquittoPub(port: number, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile('mosquitto_pub', ['-p', String(port), ...args], (err) => (err ? reject(err) : resolve())));
}

describe('the MQTT explorer', () => {
  let broker: Mosquitto;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    broker = await Mosquitto.start();
    host = await startWebHost();
    browser = await launchBrowser();
    ({ page, errors } = await openWorkbench(browser, host));
    await page.getByRole('tab', { name: 'MQTT' }).click();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await broker?.stop();
  });

  const tree = () => page.getByRole('tree', { name: 'Topics' });
  const item = (name: string) => tree().getByRole('treeitem', { name, exact: true });

  it('checks the broker URL as it is typed, connects, and shows the tree growing under #', async () => {
    const url = page.getByLabel('Broker URL');
    await url.fill('http://127.0.0.1');
    await expect(page.getByText('"http://" is not an MQTT scheme').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Connect', exact: true }).isDisabled()).resolves.toBe(true);
    await url.fill(`mqtt://127.0.0.1:${broker.port}`);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('status', { name: 'Connection state' }).getByText(/Connected as pinwheel-/).waitFor();

    await mosquittoPub(broker.port, ['-t', 'house/kitchen/temp', '-m', '21.5']);
    await mosquittoPub(broker.port, ['-t', 'house/hall/sensor', '-m', '{"t": 20.1, "h": 40, "id": "hall-1"}']);
    await mosquittoPub(broker.port, ['-t', 'test/led', '-m', '0', '-r']);
    await item('house').waitFor();
    await item('test').waitFor();
    await expect(tree().getByRole('treeitem').count()).resolves.toBe(2);

    // Expanding shows the next level, with each topic's last value.
    await item('house').click();
    await page.keyboard.press('ArrowRight');
    await item('kitchen').waitFor();
    await item('hall').waitFor();
    await expect(item('house').getAttribute('aria-expanded')).resolves.toBe('true');

    // A thousand more topics arrive; the tree (virtualized) and the counts keep up.
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    try {
      for (let i = 0; i < 1000; i++) publisher.publish(`fleet/device${i}/temp`, String(20 + (i % 10)));
      await publisher.publishAsync('fleet/done', '1', { qos: 1 });
    } finally {
      await publisher.endAsync();
    }
    await page.getByLabel('Memory use').getByText(/^1,004 topics · 1,004 messages/).waitFor();
    await item('fleet').click();
    await page.keyboard.press('ArrowRight');
    await item('device0').waitFor();
    // Only the rows in view are in the DOM, not a thousand.
    const rendered = await tree().getByRole('treeitem').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);
    await page.keyboard.press('End');
    await item('done').waitFor();
    await screenshot(page, 'mqtt-tree');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
  });

  it('filters topics, opens a JSON message in the panel, and compares it with the one before', async () => {
    await page.getByLabel('Filter topics').fill('hall');
    await item('hall').waitFor();
    await expect(item('kitchen').count()).resolves.toBe(0);
    await expect(item('hall').locator('mark').textContent()).resolves.toBe('hall');
    // The match is shown folded; unfolding it shows what is below.
    await item('hall').click();
    await page.keyboard.press('ArrowRight');
    await item('sensor').click();
    const panel = page.getByTestId('mqtt-panel');
    await panel.getByRole('tree', { name: 'JSON' }).getByText('"hall-1"').waitFor();
    await expect(panel.getByLabel('Message details').textContent()).resolves.toContain('QoS 0');

    await mosquittoPub(broker.port, ['-t', 'house/hall/sensor', '-m', '{"t": 20.4, "h": 40, "id": "hall-1"}']);
    await panel.getByText('2 messages').waitFor();
    await panel.getByLabel('Compare with previous').check();
    const diff = panel.getByLabel('Difference from the previous message');
    await diff.locator('.diff-removed', { hasText: '"t": 20.1' }).waitFor();
    await diff.locator('.diff-added', { hasText: '"t": 20.4' }).waitFor();
    await panel.getByRole('radio', { name: 'Hex' }).click();
    await panel.getByLabel('Compare with previous').uncheck();
    await panel.getByText(/^00000000 {2}7b 22 74 22/).waitFor();
    await screenshot(page, 'mqtt-message');
    await page.getByLabel('Filter topics').fill('');
  });

  it('publishes from the panel: mosquitto_sub hears it and the tree shows it', async () => {
    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-t', 'test/led', '-C', '1', '-W', '15', '-R']);
    let heard = '';
    sub.stdout.on('data', (d: Buffer) => (heard += d.toString()));
    const exited = new Promise<number | null>((resolve) => sub.on('close', resolve));
    await new Promise((r) => setTimeout(r, 300));

    const panel = page.getByTestId('mqtt-panel');
    await panel.getByRole('tab', { name: 'Publish' }).click();
    await panel.getByLabel('Topic to publish to').fill('test/led/+');
    await panel.getByText('cannot contain "+" or "#"').waitFor();
    await panel.getByLabel('Topic to publish to').fill('test/led');
    await panel.getByLabel('Message to publish').fill('1');
    await panel.getByLabel('Publish QoS').selectOption('1');
    await panel.getByRole('button', { name: 'Publish', exact: true }).click();
    await panel.getByText('Published 1 byte to test/led (acknowledged, QoS 1).').waitFor();
    expect(await exited).toBe(0);
    expect(heard.trim()).toBe('1');
    // Bad JSON is refused before anything is sent.
    await panel.getByLabel('Payload format').selectOption('json');
    await panel.getByLabel('Message to publish').fill('{on: true}');
    await panel.getByText(/not valid JSON/).waitFor();
    await expect(panel.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'mqtt-publish');
  });

  it('plots a topic whose payloads are numbers', async () => {
    for (const value of ['21.5', '22.5', '21.0', '23.5', '24.0']) await mosquittoPub(broker.port, ['-t', 'house/kitchen/temp', '-m', value]);
    await item('kitchen').click();
    await page.keyboard.press('ArrowRight');
    await item('temp').click();
    const panel = page.getByTestId('mqtt-panel');
    await panel.getByRole('tab', { name: 'Plot' }).click();
    await waitUntil('six points in the plot', async () => (await panel.getByRole('img', { name: /^Plot of the payload: 6 points from 21 to 24$/ }).count()) === 1);
    await screenshot(page, 'mqtt-plot');
  });

  it('pauses the tree: changes wait, counted on the Resume button, and arrive on resume', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    await mosquittoPub(broker.port, ['-t', 'paused/one', '-m', '1']);
    // The count is of topics that changed meanwhile (rates that fell to zero count too).
    const resume = page.getByRole('button', { name: /^Resume \(\d+\)$/ });
    await resume.waitFor();
    await new Promise((r) => setTimeout(r, 300));
    await expect(item('paused').count()).resolves.toBe(0);
    await resume.click();
    await item('paused').waitFor();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
  });

  it('shows binary, invalid UTF-8, a 10 MB message and unusual topics without breaking the tree', async () => {
    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    try {
      await publisher.publishAsync('odd/ü🙂 with space', 'emoji level', { qos: 1 });
      await publisher.publishAsync('odd//empty level', 'between', { qos: 1 });
      await publisher.publishAsync('odd/binary', Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]), { qos: 1 });
      await publisher.publishAsync('odd/latin1', Buffer.from([0x63, 0x61, 0x66, 0xe9]), { qos: 1 });
      await publisher.publishAsync('odd/big', Buffer.alloc(10 * 1024 * 1024, 0x61), { qos: 1 });
    } finally {
      await publisher.endAsync();
    }
    await page.getByLabel('Filter topics').fill('odd');
    await item('odd').click();
    await page.keyboard.press('ArrowRight');
    await item('ü🙂 with space').waitFor();
    await item('(empty level)').waitFor();
    await item('binary').locator('.topic-value').getByText('<6 bytes> 00 01 02 ff fe 80').waitFor();
    await item('latin1').click();
    const panel = page.getByTestId('mqtt-panel');
    await panel.getByRole('tab', { name: 'Message' }).click();
    await panel.getByRole('radio', { name: 'Text' }).click();
    await panel.getByText('Not valid UTF-8: undecodable bytes show as �.').waitFor();
    await panel.getByRole('radio', { name: 'Auto' }).click();

    await item('big').click();
    await panel.getByText('Showing 1 MB of 10 MB.').waitFor();
    await panel.getByText(/more characters not shown/).waitFor();
    await panel.getByRole('button', { name: 'Load the whole message' }).click();
    await panel.getByText(/^a+\n… 10,223,616 more characters not shown/).waitFor();
    await screenshot(page, 'mqtt-odd-payloads');
    await page.getByLabel('Filter topics').fill('');
  });

  it("runs a dashboard switch: it publishes to the command topic and follows the device's state topic", async () => {
    // The "device": answers room/led/cmd by reporting the new state on room/led/stat, as a board would.
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`);
    try {
      await device.subscribeAsync('room/led/cmd');
      device.on('message', (_topic, payload) => void device.publishAsync('room/led/stat', payload, { retain: true }));
      await device.publishAsync('room/led/stat', '0', { retain: true });

      const panel = page.getByTestId('mqtt-panel');
      await panel.getByRole('tab', { name: 'Dashboard' }).click();
      await panel.getByRole('button', { name: 'Add widget' }).click();
      await panel.getByLabel('Widget title').fill('Desk LED');
      await panel.getByLabel('State topic').fill('room/led/stat');
      await panel.getByLabel('Command topic').fill('room/led/+');
      await panel.getByText('Command topic: A topic to publish to cannot contain').waitFor();
      await panel.getByLabel('Command topic').fill('room/led/cmd');
      await panel.getByRole('button', { name: 'Add to dashboard' }).click();

      const toggle = panel.getByRole('switch', { name: 'Desk LED' });
      await waitUntil('the switch to show off', async () => (await toggle.getAttribute('aria-checked')) === 'false' && (await panel.getByText('Off', { exact: true }).count()) === 1);
      await toggle.click();
      await waitUntil('the device to report on', async () => (await toggle.getAttribute('aria-checked')) === 'true');
      await screenshot(page, 'mqtt-dashboard');
      await toggle.click();
      await waitUntil('the device to report off', async () => (await toggle.getAttribute('aria-checked')) === 'false');

      // A value widget over a JSON field, saved with the connection.
      await panel.getByRole('button', { name: 'Add widget' }).click();
      await panel.getByLabel('Widget kind').selectOption('value');
      await panel.getByLabel('Widget title').fill('Hall temperature');
      await panel.getByLabel('Widget topic').fill('house/hall/sensor');
      await panel.getByLabel('JSON field').fill('t');
      await panel.getByLabel('Unit').fill('°C');
      await panel.getByLabel('Gauge minimum').fill('0');
      await panel.getByLabel('Gauge maximum').fill('40');
      await panel.getByRole('button', { name: 'Add to dashboard' }).click();
      await panel.getByLabel('Hall temperature: 20.4 °C').waitFor();
    } finally {
      await device.endAsync();
    }
  });

  it('clears the messages received so far: the tree empties, and new ones come in as before', async () => {
    const memory = page.getByLabel('Memory use');
    await expect(memory.textContent()).resolves.not.toMatch(/^0 topics/);
    await page.getByRole('button', { name: 'Clear messages' }).click();
    await memory.getByText(/^0 topics · 0 messages/).waitFor();
    await expect(item('paused').count()).resolves.toBe(0);
    await mosquittoPub(broker.port, ['-t', 'paused/two', '-m', '2']);
    await item('paused').waitFor();
    await memory.getByText(/^1 topics · 1 messages/).waitFor();
  });

  it('starts the broker on this computer and connects to it in one click', async () => {
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByRole('button', { name: 'Start broker' }).click();
    const card = page.getByRole('region', { name: 'Broker on this computer' });
    await card.getByText(/Running on port \d+, this computer only\./).waitFor();
    await card.getByText('Boards on Wi-Fi cannot reach a broker that listens on this computer only').waitFor();
    await screenshot(page, 'mqtt-broker');
    await card.getByRole('button', { name: 'Connect to it' }).click();
    await page.getByRole('tablist', { name: 'MQTT connections' }).getByRole('tab', { name: /127\.0\.0\.1:\d+/, selected: true }).waitFor();
    await page.getByRole('status', { name: 'Connection state' }).getByText(/Connected as/).waitFor();
    expect(errors).toEqual([]);
  });
});
