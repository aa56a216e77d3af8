/**
 * Parts wired to the virtual board (issue 16): added from the parts panel,
 * driven by programs written for a real ESP32, and driving them. One window,
 * one board; the tests run in order and wire parts as they go.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { dataDirWithBoardFiles, TEST_OUTPUT_DIR } from '../helpers/webHost.js';
import { connectVirtualBoard, setEditorText, startWorkbench, terminalText, waitForTerminal, waitUntil, type WorkbenchSession } from './pinwheelPage.js';

const SSD1306_DRIVER = readFileSync(new URL('../support/boardPython/tinyssd1306.py', import.meta.url), 'utf8');

describe('parts on the virtual board', () => {
  let session: WorkbenchSession;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    session = await startWorkbench({ env: { PINWHEEL_DATA_DIR: dataDirWithBoardFiles({ 'lib/tinyssd1306.py': SSD1306_DRIVER }) } });
    ({ page, errors } = session);
    await connectVirtualBoard(page);
    await waitForTerminal(page, '>>> ');
  });

  afterAll(async () => {
    await session?.stop();
  });

  const part = (id: string) => page.locator(`[data-testid=part][data-part-id="${id}"]`);

  async function addPart(kind: string, id: string): Promise<void> {
    await page.getByTestId('add-part').selectOption(kind);
    await part(id).waitFor({ timeout: 15_000 });
  }

  /** Runs `code` with F5; returns the terminal text from the run on, once `until` shows. */
  async function run(code: string, until: RegExp | string, timeout = 10_000): Promise<string> {
    await setEditorText(page, code);
    const before = (await terminalText(page)).length;
    await page.keyboard.press('F5');
    return waitForTerminal(page, until, { after: before, timeout });
  }

  async function stop(): Promise<void> {
    await page.keyboard.press('Shift+F5');
    await page.getByTestId('running-indicator').waitFor({ state: 'detached', timeout: 10_000 });
  }

  const brightness = async (id: string) => Number(await part(id).getByTestId('part-led').getAttribute('data-brightness'));

  it('an LED fades with PWM duty', async () => {
    await addPart('led', 'led-1');
    expect(await part('led-1').getByRole('textbox', { name: 'LED led-1 pin' }).inputValue()).toBe('4');
    await run(
      ['from machine import Pin, PWM', 'import time', 'pwm = PWM(Pin(4), freq=1000)', 'for duty in (0, 16384, 49152, 65535):', '    pwm.duty_u16(duty)', '    print("duty", duty)', '    time.sleep(0.6)', 'print("faded")'].join('\n'),
      'duty 16384',
    );
    const seen: number[] = [];
    await waitUntil('the LED at full brightness', async () => {
      const b = await brightness('led-1');
      if (seen.at(-1) !== b) seen.push(b);
      return b > 0.99;
    }, { timeout: 5000, interval: 50 });
    // It went up through the duties in between, not just on and off.
    expect(seen.some((b) => b > 0.2 && b < 0.3)).toBe(true);
    expect(seen.some((b) => b > 0.7 && b < 0.8)).toBe(true);
    await waitForTerminal(page, /faded\n[\s\S]*>>> $/);
    await screenshot(page, 'parts-led-pwm');
  });

  it('a push button fires an irq that toggles the LED', async () => {
    await addPart('button', 'button-1');
    expect(await part('button-1').getByRole('textbox', { name: 'Push button button-1 pin' }).inputValue()).toBe('15');
    await run(
      ['from machine import Pin', 'import time', 'led = Pin(4, Pin.OUT, value=0)', 'presses = 0', 'def pressed(pin):', '    global presses', '    presses += 1', '    led.value(not led.value())', '    print("pressed", presses)', 'Pin(15, Pin.IN, Pin.PULL_UP).irq(pressed, Pin.IRQ_FALLING)', 'print("ready")', 'while True:', '    time.sleep_ms(20)'].join('\n'),
      'ready',
    );
    const button = page.getByRole('button', { name: 'Push button button-1', exact: true });
    for (const [count, lit] of [[1, 1], [2, 0]] as const) {
      await button.hover();
      await page.mouse.down();
      await waitForTerminal(page, `pressed ${count}`);
      await page.mouse.up();
      await expect.poll(() => brightness('led-1')).toBe(lit);
    }
    await stop();
  });

  it('a potentiometer is read while its slider moves', async () => {
    await addPart('potentiometer', 'potentiometer-1');
    await run(['from machine import ADC, Pin', 'import time', 'adc = ADC(Pin(34), atten=ADC.ATTN_11DB)', 'while True:', '    print("pot", adc.read_u16())', '    time.sleep_ms(100)'].join('\n'), /pot \d+/);
    const slider = page.getByRole('slider', { name: 'Potentiometer potentiometer-1 position' });
    /** The next reading printed after `at` that satisfies `ok`. */
    const reading = async (ok: (value: number) => boolean): Promise<number> => {
      const at = (await terminalText(page)).length;
      let found = -1;
      await waitUntil('a reading in range', async () => {
        const values = [...(await terminalText(page)).slice(at).matchAll(/pot (\d+)/g)].map((m) => Number(m[1]));
        found = values.find(ok) ?? -1;
        return found >= 0;
      }, { timeout: 5000 }).catch(async (err: Error) => {
        throw new Error(`${err.message}; the terminal ended with: ${(await terminalText(page)).slice(-300)}`);
      });
      return found;
    };
    await slider.focus();
    await page.keyboard.press('End');
    // 3.3 V at 11 dB attenuation: near the top of the ADC's range.
    expect(await reading((v) => v > 55_000)).toBeGreaterThan(55_000);
    await page.keyboard.press('Home');
    expect(await reading((v) => v < 2_000)).toBeLessThan(2_000);
    for (let i = 0; i < 50; i++) await page.keyboard.press('ArrowRight');
    const middle = await reading((v) => v > 20_000 && v < 45_000);
    expect(middle).toBeGreaterThan(20_000);
    await stop();
  });

  it('a DHT22 gives the values its sliders are set to', async () => {
    await addPart('dht22', 'dht22-1');
    await part('dht22-1').getByRole('slider', { name: 'DHT22 sensor dht22-1 temperature' }).fill('31.5');
    await part('dht22-1').getByRole('slider', { name: 'DHT22 sensor dht22-1 humidity' }).fill('62');
    const text = await run(['import dht', 'from machine import Pin', 'd = dht.DHT22(Pin(13))', 'd.measure()', 'print("dht", d.temperature(), d.humidity())'].join('\n'), /dht [\d.]+ [\d.]+/);
    expect(text).toMatch(/dht 31\.5 62(\.0)?/);
  });

  it('a NeoPixel strip shows the colours written to it', async () => {
    await addPart('neopixel', 'neopixel-1');
    await run(['import neopixel', 'from machine import Pin', 'np = neopixel.NeoPixel(Pin(5), 8)', 'np[0] = (255, 0, 0)', 'np[1] = (0, 255, 0)', 'np[7] = (0, 0, 255)', 'np.write()', 'print("written")'].join('\n'), 'written');
    const strip = part('neopixel-1').getByTestId('part-strip');
    await expect.poll(() => strip.getAttribute('data-colors')).toBe('#ff0000 #00ff00 #000000 #000000 #000000 #000000 #000000 #0000ff');
    await screenshot(page, 'parts-neopixel');
  });

  it('an SSD1306 draws the text a program writes with its driver', async () => {
    await addPart('ssd1306', 'ssd1306-1');
    const text = await run(
      ['from machine import Pin, I2C', 'import tinyssd1306', 'i2c = I2C(0, sda=Pin(21), scl=Pin(22))', 'print("scan", i2c.scan())', 'oled = tinyssd1306.OLED(i2c)', 'oled.fill(0)', 'oled.text("Pinwheel", 0, 0)', 'oled.text("Hi!", 40, 30)', 'oled.show()', 'import binascii', 'print("buf", binascii.hexlify(oled.buffer).decode())'].join('\n'),
      /buf [0-9a-f]{2048}/,
    );
    expect(text).toContain('scan [60]');
    const memory = Buffer.from(/buf ([0-9a-f]{2048})/.exec(text)![1]!, 'hex');
    expect(memory.some((b) => b !== 0)).toBe(true);
    const oled = part('ssd1306-1').getByTestId('part-oled');
    await expect.poll(() => oled.getAttribute('data-on')).toBe('true');
    // Every display pixel on the canvas is lit exactly where the program's buffer has it.
    await expect
      .poll(() =>
        oled.evaluate((canvas: HTMLCanvasElement, hex: string) => {
          const mem = hex.match(/../g)!.map((h) => parseInt(h, 16));
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let wrong = 0;
          for (let y = 0; y < 64; y++) {
            for (let x = 0; x < 128; x++) {
              const want = ((mem[(y >> 3) * 128 + x]! >> (y & 7)) & 1) === 1;
              const lit = data[((y * 2) * canvas.width + x * 2) * 4 + 2]! > 128;
              if (want !== lit) wrong++;
            }
          }
          return wrong;
        }, memory.toString('hex')),
      )
      .toBe(0);
    // The whole breadboard at work, for the README: the strip and the LED lit beside the display.
    await run(['import neopixel', 'from machine import Pin, PWM', 'np = neopixel.NeoPixel(Pin(5), 8)', 'for i in range(8):', '    np[i] = (40 * i, 255 - 30 * i, 120)', 'np.write()', 'PWM(Pin(4), freq=1000, duty_u16=40000)', 'print("lit")'].join('\n'), 'lit');
    await expect.poll(() => part('neopixel-1').getByTestId('part-strip').getAttribute('data-colors')).toContain('#00ff78');
    const panel = page.getByTestId('parts-panel');
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(TEST_OUTPUT_DIR, 'parts-panel.png') });
  });

  it('a watchdog not fed resets the board, and reset_cause says so', async () => {
    const before = (await terminalText(page)).length;
    await run(['from machine import WDT', 'import time', 'wdt = WDT(timeout=1000)', 'for i in range(3):', '    wdt.feed()', '    print("fed", i)', '    time.sleep(0.5)', 'print("stopped feeding")', 'time.sleep(5)', 'print("never printed")'].join('\n'), 'stopped feeding');
    // The board restarts about a second later: its boot banner, then a prompt.
    await waitForTerminal(page, /stopped feeding[\s\S]*MicroPython v[\s\S]*>>> $/, { after: before, timeout: 15_000 });
    await page.getByTestId('running-indicator').waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'parts-wdt-reset');
    const at = (await terminalText(page)).length;
    await page.getByTestId('terminal').locator('.xterm').click();
    await page.keyboard.type('import machine; print("cause", machine.reset_cause() == machine.WDT_RESET)\r');
    await waitForTerminal(page, 'cause True', { after: at });
    expect(await terminalText(page)).not.toContain('never printed');
    expect(errors).toEqual([]);
  });
});
