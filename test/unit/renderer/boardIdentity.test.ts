import { describe, expect, it } from 'vitest';
import { Draft, type BoardStatus, type PortInfo } from '../../../electron/common/api/contract.js';
import {
  boardIdentityOf,
  boardLongName,
  boardShortName,
  connectedBoard,
  missingBoardReason,
  sameBoard,
  saveDestination,
} from '../../../renderer/features/editor/boardIdentity.js';
import { resolveTypedBoardPath, validBoardPath, validProjectPath } from '../../../renderer/features/files/boardPaths.js';

const VIRTUAL: PortInfo = { path: 'virtual:board', kind: 'virtual', friendlyName: 'Virtual board (ESP32, built in)', likelyMicroPython: true };
const CP2102: PortInfo = { path: '/dev/ttyUSB0', kind: 'serial', friendlyName: 'CP210x USB-UART (ESP32/ESP8266 dev board) on /dev/ttyUSB0', likelyMicroPython: true };
const PTY: PortInfo = { path: '/tmp/dev/ttyACM1', kind: 'serial', friendlyName: 'Pseudo-terminal /tmp/dev/ttyACM1 (/dev/pts/4)', likelyMicroPython: false };

const status = (state: BoardStatus['state'], port?: PortInfo, extra: Partial<BoardStatus> = {}): BoardStatus => ({
  state,
  busy: false,
  running: false,
  replRunning: false,
  reconnecting: false,
  ...(port ? { port } : {}),
  ...extra,
});

describe('naming the board a file belongs to', () => {
  it('tells the virtual board, a known USB chip and a bare port apart in a few words', () => {
    expect(boardShortName(boardIdentityOf(VIRTUAL))).toBe('Virtual board');
    expect(boardShortName(boardIdentityOf(CP2102))).toBe('CP210x on ttyUSB0');
    expect(boardShortName(boardIdentityOf(PTY))).toBe('ttyACM1');
    expect(boardShortName({ path: 'COM3', name: 'Serial port COM3' })).toBe('COM3');
    expect(boardShortName({ path: '/dev/ttyACM0', name: 'Arduino (2341:0043) on /dev/ttyACM0' })).toBe('Arduino on ttyACM0');
  });

  it('gives the full name, always with the port path in it, for tooltips and the save question', () => {
    expect(boardLongName(boardIdentityOf(VIRTUAL))).toBe('Virtual board');
    expect(boardLongName(boardIdentityOf(CP2102))).toBe(CP2102.friendlyName);
    expect(boardLongName({ path: '/dev/ttyS1', name: 'Onboard UART' })).toBe('Onboard UART on /dev/ttyS1');
  });

  it('compares boards by port path only: a friendly name may change between connections', () => {
    expect(sameBoard({ path: '/dev/ttyUSB0', name: 'a' }, { path: '/dev/ttyUSB0', name: 'b' })).toBe(true);
    expect(sameBoard({ path: '/dev/ttyUSB0', name: 'a' }, { path: 'virtual:board', name: 'a' })).toBe(false);
    expect(sameBoard(undefined, { path: 'virtual:board', name: '' })).toBe(false);
    expect(sameBoard({ path: 'virtual:board', name: '' }, null)).toBe(false);
  });

  it('counts a board as connected only once it is ready', () => {
    expect(connectedBoard(status('connected', CP2102))).toEqual({ path: '/dev/ttyUSB0', name: CP2102.friendlyName });
    expect(connectedBoard(status('connecting', CP2102))).toBeNull();
    expect(connectedBoard(status('lost', CP2102, { reconnecting: true }))).toBeNull();
    expect(connectedBoard(status('disconnected'))).toBeNull();
  });
});

describe('where a board file may be saved', () => {
  const virtual = boardIdentityOf(VIRTUAL);
  const usb = boardIdentityOf(CP2102);

  it('saves to its own board without asking', () => {
    expect(saveDestination(virtual, status('connected', VIRTUAL))).toEqual({ kind: 'here' });
  });

  it('asks when another board is connected, naming both', () => {
    expect(saveDestination(virtual, status('connected', CP2102))).toEqual({ kind: 'other', owner: virtual, connected: usb });
  });

  it('asks when no board is connected, or its own is still connecting or lost', () => {
    expect(saveDestination(virtual, status('disconnected'))).toEqual({ kind: 'missing', owner: virtual });
    expect(saveDestination(usb, status('lost', CP2102, { reconnecting: true }))).toEqual({ kind: 'missing', owner: usb });
    expect(saveDestination(usb, status('connecting', CP2102))).toEqual({ kind: 'missing', owner: usb });
  });

  it('saves as before when the file does not know its board (a draft from before)', () => {
    expect(saveDestination(undefined, status('connected', CP2102))).toEqual({ kind: 'here' });
    expect(saveDestination(undefined, status('disconnected'))).toEqual({ kind: 'here' });
  });

  it('says why the board is not there', () => {
    expect(missingBoardReason(usb, status('disconnected'))).toBe('is not connected.');
    expect(missingBoardReason(usb, status('lost', CP2102, { reconnecting: true }))).toMatch(/reconnects when it comes back/);
    expect(missingBoardReason(usb, status('connecting', CP2102))).toBe('is still connecting.');
    expect(missingBoardReason(usb, status('connecting', VIRTUAL))).toBe('is not connected (Pinwheel is connecting to Virtual board).');
  });
});

describe('drafts remember the board of a board file', () => {
  it('loads drafts kept before tabs knew their board', () => {
    const old = { id: 'doc-1', title: 'main.py', source: { kind: 'board', path: '/main.py' }, content: 'x = 2', savedContent: 'x = 1' };
    const parsed = Draft.parse(old);
    expect(parsed.source).toEqual({ kind: 'board', path: '/main.py' });
  });

  it('keeps the board identity through the schema', () => {
    const draft = { id: 'doc-2', title: 'main.py', source: { kind: 'board', path: '/main.py', board: { path: 'virtual:board', name: 'Virtual board (ESP32, built in)' } }, content: '' };
    expect(Draft.parse(draft).source.board).toEqual({ path: 'virtual:board', name: 'Virtual board (ESP32, built in)' });
    expect(Draft.safeParse({ ...draft, source: { ...draft.source, board: { path: '', name: 'x' } } }).success).toBe(false);
  });
});

describe('paths typed for the project folder', () => {
  it('takes relative paths inside the folder and says what is wrong with others', () => {
    expect(validProjectPath('main.py')).toBeNull();
    expect(validProjectPath('lib/util.py')).toBeNull();
    expect(validProjectPath('')).toMatch(/file name/);
    expect(validProjectPath('/main.py')).toMatch(/inside the project folder/);
    expect(validProjectPath('C:main.py')).toMatch(/inside the project folder/);
    expect(validProjectPath('lib/')).toMatch(/file name/);
    expect(validProjectPath('../main.py')).toMatch(/not a valid path/);
    expect(validProjectPath('lib//x.py')).toMatch(/not a valid path/);
    expect(validProjectPath('lib\\x.py')).toMatch(/not a valid path/);
  });
});

describe('paths typed for a new board file', () => {
  it('are taken relative to the target folder unless absolute', () => {
    expect(resolveTypedBoardPath('lib/util.py', '/')).toBe('/lib/util.py');
    expect(resolveTypedBoardPath('util.py', '/lib')).toBe('/lib/util.py');
    expect(resolveTypedBoardPath(' /boot.py ', '/lib')).toBe('/boot.py');
    expect(validBoardPath(resolveTypedBoardPath('lib/', '/'))).toMatch(/file name/);
  });
});
