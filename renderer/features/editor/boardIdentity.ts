/**
 * Which board a board file belongs to, and how to name that board to a
 * person. Two boards used in one session both have a /main.py; the port path
 * tells them apart, and the friendly name remembered with it says which is
 * which in tabs, tooltips and the save question. Pure: no Monaco, no React.
 */
import { VIRTUAL_BOARD_PATH, type BoardIdentity, type BoardStatus, type PortInfo } from '../../../electron/common/api/contract.js';
import { baseName } from '../../../electron/common/util/slashPath.js';

export type { BoardIdentity } from '../../../electron/common/api/contract.js';

/** What the virtual board is called everywhere in the UI (its port's friendly name is longer). */
export const VIRTUAL_BOARD_NAME = 'Virtual board';

export function boardIdentityOf(port: PortInfo): BoardIdentity {
  return { path: port.path, name: port.friendlyName };
}

/** The board that is connected and ready now; null while connecting, lost or disconnected. */
export function connectedBoard(status: BoardStatus): BoardIdentity | null {
  return status.state === 'connected' && status.port ? boardIdentityOf(status.port) : null;
}

/** Port paths identify boards; friendly names may change between connections. */
export function sameBoard(a: BoardIdentity | undefined | null, b: BoardIdentity | undefined | null): boolean {
  return !!a && !!b && a.path === b.path;
}

/** The device's own name: "ttyUSB0" for /dev/ttyUSB0, "COM3" for COM3. */
function deviceName(path: string): string {
  return baseName(path.replace(/\\/g, '/')) || path;
}

/**
 * What the port list says the board is, when it says more than the path:
 * "CP210x" from "CP210x USB-UART (ESP32/ESP8266 dev board) on /dev/ttyUSB0".
 */
function chipName(board: BoardIdentity): string | null {
  const suffix = ` on ${board.path}`;
  if (!board.name.endsWith(suffix)) return null;
  const described = board.name.slice(0, -suffix.length).replace(/\s*\(.*\)$/, '').replace(/ USB(-UART)?$/, '').trim();
  return described || null;
}

/** A few words for a tab badge or a button: "Virtual board", "CP210x on ttyUSB0", "ttyACM1". */
export function boardShortName(board: BoardIdentity): string {
  if (board.path === VIRTUAL_BOARD_PATH) return VIRTUAL_BOARD_NAME;
  const device = deviceName(board.path);
  const chip = chipName(board);
  return chip ? `${chip} on ${device}` : device;
}

/** The full name for tooltips and sentences: the friendly name, with the port path always in it. */
export function boardLongName(board: BoardIdentity): string {
  if (board.path === VIRTUAL_BOARD_PATH) return VIRTUAL_BOARD_NAME;
  return board.name.includes(board.path) ? board.name : `${board.name} on ${board.path}`;
}

export function isVirtualBoard(board: BoardIdentity): boolean {
  return board.path === VIRTUAL_BOARD_PATH;
}

/**
 * Where a save of a board file may go, given the board it belongs to:
 * - `here`: the connected board is its board (or it has none yet: untitled, or a
 *   draft kept before tabs knew their board), so it saves as it always did;
 * - `other`: another board is connected, so the person chooses;
 * - `missing`: no board is connected and ready, so only this computer is left.
 */
export type SaveDestination =
  | { readonly kind: 'here' }
  | { readonly kind: 'other'; readonly owner: BoardIdentity; readonly connected: BoardIdentity }
  | { readonly kind: 'missing'; readonly owner: BoardIdentity };

export function saveDestination(owner: BoardIdentity | undefined, status: BoardStatus): SaveDestination {
  if (!owner) return { kind: 'here' };
  const connected = connectedBoard(status);
  if (!connected) return { kind: 'missing', owner };
  return sameBoard(owner, connected) ? { kind: 'here' } : { kind: 'other', owner, connected };
}

/** Why a board is not there to save to, in a sentence that starts after its name. */
export function missingBoardReason(owner: BoardIdentity, status: BoardStatus): string {
  const ownPort = status.port?.path === owner.path;
  switch (status.state) {
    case 'connecting':
      return ownPort ? 'is still connecting.' : `is not connected (Pinwheel is connecting to ${status.port ? boardShortName(boardIdentityOf(status.port)) : 'another board'}).`;
    case 'lost':
      return ownPort && status.reconnecting ? 'was lost; Pinwheel reconnects when it comes back.' : 'is not connected.';
    default:
      return 'is not connected.';
  }
}
