/**
 * Reset policies, each run while the caller holds the line: soft reset from
 * the raw REPL (boot.py runs), soft reset from the friendly REPL (main.py runs
 * too), and hard reset by an RTS pulse or machine.reset().
 */
import { BoardError, BoardExecError, isBoardError } from '../BoardError.js';
import { machineBootloaderPy } from '../python/machineBootloaderPy.js';
import { machineResetPy } from '../python/machineResetPy.js';
import { pauseOrCancel } from './ByteReader.js';
import { bytesOf, concatBytes } from '../../util/bytes.js';
import type { RawReplTransport } from './RawReplTransport.js';
import { CTRL_D, LEAVE_RAW_SEQUENCE, RAW_REPL_BANNER, RAW_REPL_PROMPT, SOFT_REBOOT_MARK, stripSoftRebootBanner } from './replProtocol.js';

export type HardResetMethod = 'signals' | 'machine';

/** Ctrl-D at the raw prompt: boot.py runs (main.py does not); returns what boot.py printed. */
export async function softResetFromRaw(transport: RawReplTransport, signal: AbortSignal): Promise<string> {
  const { reader } = transport;
  await transport.ensureRaw(signal);
  reader.clear();
  await transport.write(Uint8Array.of(CTRL_D));
  let out: Uint8Array;
  try {
    out = await reader.readUntil(bytesOf(RAW_REPL_BANNER + RAW_REPL_PROMPT), {
      timeoutMs: transport.timing.SOFT_RESET_TIMEOUT_MS,
      signal,
      timeoutMessage: 'The board did not come back after a soft reset; boot.py may be stuck in a loop.',
    });
  } catch (err) {
    if (!isBoardError(err, 'TIMEOUT')) throw err;
    // boot.py looping: break into it with the ladder.
    const partial = reader.peek().slice();
    transport.state = 'unknown';
    await transport.enterRaw(signal);
    return stripSoftRebootBanner(new TextDecoder().decode(partial));
  }
  return stripSoftRebootBanner(new TextDecoder().decode(out));
}

/**
 * Ctrl-D at the friendly prompt: boot.py and main.py run. What they print
 * goes to `toTerminal` as well and is returned without the reboot banner.
 */
export async function softResetWithMain(transport: RawReplTransport, signal: AbortSignal, toTerminal: (data: Uint8Array) => void): Promise<string> {
  const { reader, timing } = transport;
  await transport.ensureRaw(signal);
  reader.clear();
  // Leave raw mode (friendly banner + prompt), then Ctrl-D at the empty friendly prompt.
  await transport.write(bytesOf(LEAVE_RAW_SEQUENCE));
  await pauseOrCancel(timing.INTERRUPT_QUIET_MS, signal);
  reader.clear();
  transport.state = 'unknown';
  await transport.write(Uint8Array.of(CTRL_D));
  // The quiet window starts at the soft-reboot banner, not at Ctrl-D: a board that takes
  // a moment to restart (the virtual board starts a fresh interpreter, ~0.3 s) would
  // otherwise look quiet and main.py's output would be cut off.
  const mark = bytesOf(SOFT_REBOOT_MARK);
  let out: Uint8Array;
  try {
    const head = await reader.readUntil(mark, {
      timeoutMs: timing.SOFT_RESET_TIMEOUT_MS,
      signal,
      timeoutMessage: 'The board did not print its soft-reboot banner.',
    });
    const rest = await reader.settle(timing.SOFT_RESET_MAIN_QUIET_MS, timing.SOFT_RESET_MAIN_MAX_MS, signal);
    out = concatBytes([head, mark, rest]);
  } catch (err) {
    if (!isBoardError(err, 'TIMEOUT')) throw err;
    out = reader.take();
  }
  toTerminal(out);
  transport.state = 'friendly';
  return stripSoftRebootBanner(new TextDecoder().decode(out));
}

/**
 * Hard reset. 'signals' pulses RTS with DTR released (EN low on ESP-style
 * boards, as esptool does); 'machine' runs machine.reset(); 'auto' pulses and
 * falls back to machine.reset() when the board stays silent (links without
 * modem lines, USB-CDC boards). Returns the method that was used.
 */
export async function hardReset(
  transport: RawReplTransport,
  method: 'auto' | HardResetMethod,
  signal: AbortSignal,
  toTerminal: (data: Uint8Array) => void,
  debug: (message: string) => void,
): Promise<HardResetMethod> {
  const { reader, timing } = transport;
  if (method === 'signals' || (method === 'auto' && transport.link.supportsSignals !== false)) {
    reader.clear();
    await transport.setSignals({ dtr: false, rts: true });
    await pauseOrCancel(timing.HARD_RESET_PULSE_MS, signal).finally(() => transport.setSignals({ dtr: false, rts: false }));
    transport.state = 'unknown';
    if (method === 'signals') return 'signals';
    const spoke = await reader
      .wait(() => (reader.available > 0 ? true : undefined), {
        timeoutMs: timing.HARD_RESET_EVIDENCE_MS,
        signal,
        timeoutMessage: 'silent',
      })
      .catch((err: unknown) => {
        if (isBoardError(err, 'TIMEOUT')) return false;
        throw err;
      });
    if (spoke) {
      // Let the boot text arrive, then hand it to the terminal.
      toTerminal(await reader.settle(timing.INTERRUPT_QUIET_MS, timing.INTERRUPT_SETTLE_MAX_MS, signal));
      return 'signals';
    }
    debug('hard reset: no output after the RTS pulse, falling back to machine.reset()');
  }
  await transport.ensureRaw(signal);
  try {
    await transport.sendCommand(machineResetPy().text, signal);
  } catch (err) {
    // A board can reset before its "compiled, running" ack leaves the UART (the FIFO is lost with
    // the reset), so boot text where the ack should be means the reset worked.
    if (!isBoardError(err, 'PROTOCOL', 'TIMEOUT')) throw err;
    transport.state = 'unknown';
    toTerminal(await reader.settle(timing.INTERRUPT_QUIET_MS, timing.INTERRUPT_SETTLE_MAX_MS, signal));
    return 'machine';
  }
  transport.state = 'unknown';
  // A board that resets never finishes the framing; one that cannot reset prints a traceback.
  try {
    const stdout = await reader.readUntil(Uint8Array.of(CTRL_D), { timeoutMs: timing.HARD_RESET_EVIDENCE_MS, signal, timeoutMessage: 'resetting' });
    const stderr = await reader.readUntil(Uint8Array.of(CTRL_D), { timeoutMs: timing.EXEC_TAIL_TIMEOUT_MS, signal, timeoutMessage: 'resetting' });
    await transport.readPrompt(signal);
    if (stderr.length) {
      const text = new TextDecoder().decode(stderr);
      throw new BoardError('UNSUPPORTED', `This board cannot be reset from the host: machine.reset() failed (${text.trim().split('\n').pop() ?? ''}). Press its reset button.`, {
        cause: new BoardExecError(text, new TextDecoder().decode(stdout)),
      });
    }
  } catch (err) {
    if (isBoardError(err, 'TIMEOUT')) return 'machine';
    throw err;
  }
  return 'machine';
}

/**
 * Runs machine.bootloader(): an RP2 (or another UF2 board) drops its USB
 * serial port and comes back as a UF2 drive, so success is silence or the
 * link closing; a traceback means this firmware cannot (no such function).
 */
export async function enterBootloader(transport: RawReplTransport, signal: AbortSignal): Promise<void> {
  const { reader, timing } = transport;
  await transport.ensureRaw(signal);
  try {
    await transport.sendCommand(machineBootloaderPy().text, signal);
  } catch (err) {
    // The board can leave before its "compiled, running" ack gets out.
    if (isBoardError(err, 'PROTOCOL', 'TIMEOUT', 'LINK_LOST')) {
      transport.state = 'unknown';
      return;
    }
    throw err;
  }
  transport.state = 'unknown';
  try {
    await reader.readUntil(Uint8Array.of(CTRL_D), { timeoutMs: timing.HARD_RESET_EVIDENCE_MS, signal, timeoutMessage: 'entering the bootloader' });
    const stderr = await reader.readUntil(Uint8Array.of(CTRL_D), { timeoutMs: timing.EXEC_TAIL_TIMEOUT_MS, signal, timeoutMessage: 'entering the bootloader' });
    await transport.readPrompt(signal);
    transport.state = 'raw';
    const text = new TextDecoder().decode(stderr).trim();
    throw new BoardError(
      'UNSUPPORTED',
      text
        ? `The board did not go into its bootloader: ${text.split('\n').pop() ?? text}. Hold its BOOT (BOOTSEL) button while plugging it in instead.`
        : 'The board did not go into its bootloader (machine.bootloader() returned). Hold its BOOT (BOOTSEL) button while plugging it in instead.',
      text ? { cause: new BoardExecError(text, '') } : undefined,
    );
  } catch (err) {
    if (isBoardError(err, 'TIMEOUT', 'LINK_LOST')) return;
    throw err;
  }
}
