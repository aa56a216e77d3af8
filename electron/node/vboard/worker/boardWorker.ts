/// <reference path="../wasm/micropython-wasm.d.ts" />
/**
 * Worker thread running one MicroPython interpreter as an ESP32 would run it:
 * it reads the UART receive ring the main thread fills, drives the REPL byte
 * by byte and posts what the board prints. This entry only assembles the
 * parts (this folder) and boots; VirtualBoard starts it by URL.
 *
 * The thread blocks in Atomics.wait between bytes, so everything the main
 * thread tells it travels through shared memory; messages only go outwards.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { boardProfile } from '../BoardProfile.js';
import type { ResetKind, WorkerInit } from '../boardProtocol.js';
import { BOARD_ERRNO_NUMBERS } from '../net/netProtocol.js';
import { partsSetupPy } from '../prelude/partsSetup.js';
import { PRELUDE_DIR, preludeFiles } from '../prelude/preludeFiles.js';
import { preludeHeapBaselinePy, preludeSetupPy } from '../prelude/setup.js';
import { RxRing } from '../RxRing.js';
import { BoardClock } from './BoardClock.js';
import { BoardFlash } from './BoardFlash.js';
import { BoardOutput } from './BoardOutput.js';
import { BoardWaiter } from './BoardWaiter.js';
import { BackgroundWork } from './BackgroundWork.js';
import { BOOT_ONLY_FUNCTIONS, pinwheelFunctions, PYTHON_OBJECT_ARGUMENTS } from './bridge/pinwheelModule.js';
import { HeapCollector } from './HeapCollector.js';
import { HostChannel } from './HostChannel.js';
import { setBoardErrnoNumbers } from './errnoNumbers.js';
import { findInterruptCharWord } from './interruptCharWord.js';
import { KeyboardInterruptWords } from './KeyboardInterruptWords.js';
import { loadInterpreter } from './loadInterpreter.js';
import { ReplDriver } from './ReplDriver.js';
import { removeBuiltinModules } from './sandbox/builtinModuleTable.js';
import { JsBoundary } from './sandbox/JsBoundary.js';
import { StdinReader } from './StdinReader.js';
import { wrapImports } from './wasmImports.js';

if (!parentPort) throw new Error('boardWorker must run in a worker thread');
const init = workerData as WorkerInit;
const profile = boardProfile(init.profile);
const ctl = new Int32Array(init.control);
const channel = new HostChannel(parentPort, ctl);
const ring = new RxRing(ctl, init.rxRing);
const output = new BoardOutput(channel, PRELUDE_DIR, profile.machine);
const flash = new BoardFlash(channel, profile.flash.blockBytes);
/** Found once the interpreter is loaded; until then no interrupt can be pending. */
let interrupts: KeyboardInterruptWords | undefined;
/** Collects garbage inside running programs when the heap is fixed; made once the interpreter is loaded. */
let collector: HeapCollector | undefined;
const interruptPending = (): boolean => interrupts?.isPending() ?? false;

const waiter = new BoardWaiter(ctl, {
  interruptPending,
  beforeBlock: () => output.flush(true),
  onStopRequested: () => {
    output.flush(true);
    flash.sync();
    channel.post({ type: 'stopped' });
    return channel.blockUntilTerminated();
  },
});
const clock = new BoardClock(waiter);
const stdin = new StdinReader(ring, waiter);
/** Timers and irq handlers between commands: only the ESP32's machine module has them. */
const background = profile.machineModule === 'esp32' ? new BackgroundWork(ctl) : undefined;
flash.beforeWrite = () => output.flush(false);

function resetBoard(kind: ResetKind, wakeReason?: number): never {
  output.flush(true);
  flash.sync();
  channel.post({ type: 'reset', kind, ...(wakeReason !== undefined ? { wakeReason } : {}) });
  return channel.blockUntilTerminated();
}

async function main(): Promise<never> {
  let boundary: JsBoundary | undefined;
  const { mp, exports, memory } = await loadInterpreter({
    wasmModule: init.wasmModule,
    wrapImports: (imports, wasmMemory) => {
      boundary = new JsBoundary(() => wasmMemory()!);
      boundary.wrapImports(imports);
      wrapImports(imports, {
        memory: () => wasmMemory()!,
        ticksMs: () => clock.nativeTicksMs(),
        pollStdin: (result, fds, nfds) => stdin.poll(wasmMemory(), result, fds, nfds),
        interruptPending,
        consoleWritten: () => collector?.point('busy'),
        flash,
      });
    },
    stdin: () => stdin.readByte(),
    output: (c) => output.wasmByte(c),
    ...(profile.heap.kind === 'fixed' ? { heapBytes: profile.heap.heapBytes } : {}),
  });
  if (!boundary) throw new Error('the interpreter loaded without its imports wrapped');
  // Before any other Python runs: the board's code must never reach JavaScript (and so Node).
  removeBuiltinModules(memory, exports, (code) => output.captured(() => mp.runPython(code)).toString('latin1'));
  // The numbers sockets raise; a board without them keeps its heap as it was measured.
  if (profile.networkModules) setBoardErrnoNumbers(memory, (code) => output.captured(() => mp.runPython(code)).toString('latin1'), BOARD_ERRNO_NUMBERS);
  if (profile.heap.kind === 'fixed') collector = new HeapCollector(memory, exports);
  flash.attach(mp.FS);
  if (!flash.exists(PRELUDE_DIR)) mp.FS.mkdir(PRELUDE_DIR);
  for (const [name, src] of preludeFiles(profile)) mp.FS.writeFile(`${PRELUDE_DIR}/${name}`, src);
  flash.load(init.flash);

  let repl: ReplDriver | undefined;
  const bridge = boundary.bridge({
    functions: pinwheelFunctions({
      channel,
      output,
      flash,
      waiter,
      clock,
      uniqueId: init.uniqueId,
      net: init.net,
      ifconfig: init.ifconfig,
      collector,
      isRawMode: () => repl?.isRawMode ?? init.boot === 'soft-raw',
      reset: resetBoard,
      background,
      cause: init.cause,
      retained: { ...init.retained },
      uartRx: init.uartRx,
      partInputs: init.partInputs,
    }),
    bootOnly: BOOT_ONLY_FUNCTIONS,
    takesPythonObjects: PYTHON_OBJECT_ARGUMENTS,
  });
  mp.registerJsModule('_pinwheel', bridge);
  interrupts = KeyboardInterruptWords.find(memory, exports['mp_sched_keyboard_interrupt'] as () => void, () => {
    // The loop's jump raises the pending interrupt; runPython reports it as a PythonError.
    output.captured(() => {
      try {
        mp.runPython('for _ in range(2):\n    pass');
      } catch {
        // expected: KeyboardInterrupt
      }
    });
  });
  const kbdWords = interrupts.all.map(([index, , pending]): [number, number] => [index, pending]);
  const interruptCharWord = findInterruptCharWord(memory, mp, exports['mp_hal_get_interrupt_char'] as () => number);
  const setupOut = output.captured(() => mp.runPython(preludeSetupPy(profile)));
  if (setupOut.length > 0) throw new Error(`board prelude failed: ${setupOut.toString('latin1')}`);
  // Parts are wired before the heap baseline: like the board's own modules, they are not the program's.
  const partsPy = profile.machineModule === 'esp32' ? partsSetupPy(init.parts) : '';
  const partsOut = partsPy ? output.captured(() => mp.runPython(partsPy)) : Buffer.alloc(0);
  if (partsOut.length > 0) throw new Error(`wiring the board's parts failed: ${partsOut.toString('latin1')}`);
  const baseline = preludeHeapBaselinePy(profile);
  if (baseline) output.captured(() => mp.runPython(baseline));
  collector?.setUp(mp, (run) => output.captured(run));
  boundary.seal();
  channel.post({ type: 'ready', memory: memory.buffer as SharedArrayBuffer, kbdWords, interruptCharWord });

  background?.attach(mp);
  repl = new ReplDriver({ mp, profile, output, waiter, ring, flash, interrupts, background, reset: resetBoard }, init.boot);
  return repl.run(init.boot);
}

main().catch((err: unknown) => {
  channel.post({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
