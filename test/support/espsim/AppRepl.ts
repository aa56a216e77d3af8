/**
 * What the simulated chip runs after it boots a MicroPython image: a REPL
 * (FakeBoard's protocol: friendly, raw, raw-paste) whose board answers the
 * connection's probe with what the flashed firmware's banner says (version,
 * build date, machine), so a test sees the board connection come back to the
 * firmware it just wrote. Other commands print nothing and succeed.
 */
import { FakeBoard, type Executor } from '../FakeBoard.js';

/** "MicroPython v1.29.0 on 2026-08-24; Generic ESP32 module with ESP32", as the firmware prints it first. */
const BANNER_LINE = /MicroPython v(\d+\.\d+\.\d+)\S* on [\d-]+; [^\r\n]+ with [A-Z0-9]+/;

export interface FirmwareIdentity {
  /** The banner's first line. */
  banner: string;
  version: string;
  /** "v1.29.0 on 2026-08-24", as os.uname().version says it. */
  versionText: string;
  machine: string;
}

/**
 * The banner a MicroPython image carries: the firmware holds it as one
 * string literal ("MicroPython " version " on " date "; " board " with " mcu).
 */
export function firmwareIdentity(flash: Uint8Array, from: number): FirmwareIdentity | undefined {
  const bytes = Buffer.from(flash.buffer, flash.byteOffset, flash.byteLength);
  const at = bytes.indexOf('MicroPython v', from, 'latin1');
  if (at < 0) return undefined;
  let end = at;
  while (end < bytes.length && end - at < 200 && bytes[end]! >= 0x20 && bytes[end]! < 0x7f) end++;
  const text = bytes.toString('latin1', at, end);
  const m = BANNER_LINE.exec(text);
  if (!m) return undefined;
  const banner = m[0];
  const [versionPart, machine] = banner.slice('MicroPython '.length).split('; ') as [string, string];
  return { banner, version: m[1]!, versionText: versionPart, machine };
}

/** What the board connection's probe prints on a board running this firmware (BoardProbe's format, every feature present). */
export function probeAnswer(identity: Omit<FirmwareIdentity, 'banner'>, platform: string): string {
  const features = '1'.repeat(17);
  return `impl\tmicropython\nver\t${identity.version}\nvtext\t${identity.versionText}\nmach\t${identity.machine}\nplat\t${platform}\nheap\t${110_000}\nhas\t${features}\n`;
}

/** A REPL for the booted firmware; `platform` is sys.platform ('esp32', 'esp8266'). */
export function appRepl(identity: FirmwareIdentity, platform: string): FakeBoard {
  const executor: Executor = async (code, ctx) => {
    if (code.includes('_pw_probe')) ctx.stdout(probeAnswer(identity, platform));
    return '';
  };
  return new FakeBoard({ executor, rawPaste: 'yes' });
}
