/** Which serial port a CLI call means when --port is not given. */
import type { PortInfo } from '../common/api/contract.js';
import { CommandError } from './CommandError.js';

/** The serial ports the OS lists now. */
export async function listSerialPorts(): Promise<PortInfo[]> {
  const { PortDiscovery } = await import('../node/ports/PortDiscovery.js');
  const discovery = new PortDiscovery();
  try {
    return await discovery.list();
  } finally {
    discovery.dispose();
  }
}

/** Exactly one likely MicroPython board, or a message that says what to do. */
export async function autoDetectPort(): Promise<string> {
  const ports = await listSerialPorts();
  const boards = ports.filter((p) => p.likelyMicroPython);
  const candidates = boards.length > 0 ? boards : ports;
  if (candidates.length === 1) return candidates[0]!.path;
  if (candidates.length === 0) {
    throw new CommandError('No board found. Plug one in, or name its port with --port PATH (see `pinwheel ports`).');
  }
  const list = candidates.map((p) => `  ${p.path}  ${p.friendlyName}`).join('\n');
  throw new CommandError(`Several boards are plugged in; choose one with --port PATH:\n${list}`);
}
