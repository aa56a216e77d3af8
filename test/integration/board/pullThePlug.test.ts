// Pulling the plug (VirtualBoard.kill(): the worker and the pty vanish at
// once) in the middle of BoardFiles.write over SerialLink, at exact points
// found by watching the engine's progress and the bytes it puts on the wire.
// Whatever the point, the write must fail promptly and clearly, a fresh board
// on the same flash must still hold the OLD file intact, and the engine's next
// write must clean up any stale temporary file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BoardError } from '../../../electron/common/board/BoardError.js';
import { tempPathFor } from '../../../electron/common/board/files/BoardFiles.js';
import type { VirtualBoard } from '../../../electron/node/vboard/VirtualBoard.js';
import { makeRandomBinary } from '../../bench/upload.js';
import { startBoardOnPty, tapWrites, type BoardOnPty } from './engineOnPty.js';
import { STREAM_CHUNK_BYTES } from '../../../electron/common/board/files/streamFraming.js';

/**
 * The UART model at 460800 baud: a real ESP32 rate, fast enough that a 64 KB
 * transfer takes ~1.4 s, slow enough that a 2 ms poll sees a chunk half-way.
 */
const BAUD = 460_800;
/** The engine streams the file in chunks of this size (random data goes as it is, not deflated). */
const CHUNK_BYTES = STREAM_CHUNK_BYTES;
const NEW_DATA = makeRandomBinary(32 * CHUNK_BYTES, 0xfee1);
const OLD_DATA = new TextEncoder().encode('# the old, good version\n' + 'print("old")\n'.repeat(100));
const NEWER_DATA = new TextEncoder().encode('print("the next write after the crash")\n');
const TARGET = '/data.bin';
/** How much more the board must have received, once armed, before the plug is pulled. */
const MID_CHUNK_BYTES = 512;
const RX_POLL_MS = 2;
/** "Promptly": the write must reject within this after the plug is pulled. */
const PROMPT_REJECT_MS = 2000;

const started: BoardOnPty[] = [];
const flashDirs: string[] = [];

afterEach(async () => {
  for (const b of started.splice(0)) {
    await b.close();
    await b.board.kill();
  }
});

afterAll(() => {
  for (const d of flashDirs) fs.rmSync(d, { recursive: true, force: true });
});

function newFlashDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinwheel-plug-'));
  flashDirs.push(dir);
  return dir;
}

function hostFile(flashDir: string, boardPath: string): string {
  return path.join(flashDir, ...boardPath.split('/').filter(Boolean));
}

function tempFilesIn(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.pwtmp'));
}

/** Pulls the plug once the board has taken `bytes` more bytes off the wire (watched, not guessed). */
function killAfterReceiving(board: VirtualBoard, bytes: number, onKilled: () => void): void {
  const start = board.stats.rxBytes;
  const timer = setInterval(() => {
    if (board.stats.rxBytes - start < bytes) return;
    clearInterval(timer);
    onKilled();
    void board.kill();
  }, RX_POLL_MS);
}

type PullPoint = 'early in the data stream' | 'late in the data stream' | 'just before the rename';

interface Trigger {
  /** Called with every engine write before it goes to the board. */
  onWire(data: Uint8Array, board: VirtualBoard): void;
  onProgress(done: number, total: number, board: VirtualBoard): void;
}

/**
 * Arms the trigger for one pull point. Progress follows the board's credits
 * (what it has taken off the line): early is within the first chunk, late is
 * within the last one; the verify-and-rename command goes last and is the
 * only command of a write that contains `os.rename(`.
 */
function triggerFor(point: PullPoint, killedAt: { t?: number }): Trigger {
  const mark = () => (killedAt.t = performance.now());
  let armed = false;
  let wire = '';
  const arm = (board: VirtualBoard) => {
    armed = true;
    killAfterReceiving(board, MID_CHUNK_BYTES, mark);
  };
  return {
    onWire(data, board) {
      if (killedAt.t !== undefined || point !== 'just before the rename') return;
      wire = (wire + Buffer.from(data).toString('latin1')).slice(-4096);
      if (wire.includes('os.rename(')) {
        // The command is held back from nobody: the board is gone before these bytes reach it.
        mark();
        void board.kill();
      }
    },
    onProgress(done, total, board) {
      if (armed || point === 'just before the rename') return;
      if (point === 'early in the data stream' && done > 0) arm(board);
      if (point === 'late in the data stream' && done + CHUNK_BYTES >= total && done < total) arm(board);
    },
  };
}

describe.each<PullPoint>(['early in the data stream', 'late in the data stream', 'just before the rename'])('pulling the plug %s', (point) => {
  it('fails the write at once, keeps the old file, and the next write cleans up', async () => {
    const flashDir = newFlashDir();
    const killedAt: { t?: number } = {};
    const trigger = triggerFor(point, killedAt);
    let board!: VirtualBoard;
    let active = false;
    const first = await startBoardOnPty({ model: 'uart', baud: BAUD, flashDir }, (link) =>
      tapWrites(link, (data) => {
        if (active) trigger.onWire(data, board);
      }),
    );
    started.push(first);
    board = first.board;

    // The old, good file.
    const old = await first.files.write(TARGET, OLD_DATA);
    expect(old).toMatchObject({ skipped: false, atomic: true, hashVerified: true });
    expect(fs.readFileSync(hostFile(flashDir, TARGET))).toEqual(Buffer.from(OLD_DATA));

    // The write that loses its board.
    const progress: number[] = [];
    active = true;
    const outcome = await Promise.race([
      first.files
        .write(TARGET, NEW_DATA, {
          onProgress: (done, total) => {
            progress.push(done);
            trigger.onProgress(done, total, board);
          },
        })
        .then(
          (r) => ({ resolved: r }),
          (err: unknown) => ({ rejected: err, at: performance.now() }),
        ),
      new Promise<{ hung: true }>((resolve) => setTimeout(() => resolve({ hung: true }), 15_000)),
    ]);
    expect(killedAt.t, 'the trigger never fired').toBeDefined();
    expect(outcome).not.toHaveProperty('hung');
    expect(outcome).not.toHaveProperty('resolved');
    const { rejected, at } = outcome as { rejected: unknown; at: number };
    expect(rejected).toBeInstanceOf(BoardError);
    expect((rejected as BoardError).code).toBe('LINK_LOST');
    expect((rejected as BoardError).message).toMatch(/lost the connection to .*unplugged|could not send to the board/i);
    expect(at - killedAt.t!).toBeLessThan(PROMPT_REJECT_MS);
    if (point === 'early in the data stream') expect(Math.max(...progress)).toBeLessThan(CHUNK_BYTES);
    if (point === 'late in the data stream') {
      expect(Math.max(...progress)).toBeGreaterThanOrEqual(NEW_DATA.length - 2 * CHUNK_BYTES);
      expect(Math.max(...progress)).toBeLessThan(NEW_DATA.length);
    }
    if (point === 'just before the rename') expect(Math.max(...progress)).toBe(NEW_DATA.length);
    await first.close();

    // What survived in flash: the old file, whole.
    expect(fs.readFileSync(hostFile(flashDir, TARGET))).toEqual(Buffer.from(OLD_DATA));
    const stale = hostFile(flashDir, tempPathFor(TARGET));
    if (point === 'just before the rename') {
      // All data arrived and was closed (committed), but never renamed into place.
      expect(fs.readFileSync(stale)).toEqual(Buffer.from(NEW_DATA));
    }
    const staleBefore = fs.existsSync(stale);

    // A fresh board on the same flash sees the old file, and the next write leaves no temp behind.
    const second = await startBoardOnPty({ model: 'uart', baud: BAUD, flashDir });
    started.push(second);
    expect(await second.files.read(TARGET)).toEqual(OLD_DATA);
    const names = (await second.files.list('/')).map((e) => e.path);
    expect(names.includes(tempPathFor(TARGET))).toBe(staleBefore);
    const next = await second.files.write(TARGET, NEWER_DATA);
    expect(next).toMatchObject({ skipped: false, atomic: true, hashVerified: true });
    expect((await second.files.list('/')).map((e) => e.path)).toEqual([TARGET]);
    expect(tempFilesIn(flashDir)).toEqual([]);
    expect(fs.readFileSync(hostFile(flashDir, TARGET))).toEqual(Buffer.from(NEWER_DATA));
  });
});
