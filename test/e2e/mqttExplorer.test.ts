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
