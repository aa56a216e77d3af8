/**
 * One open board: its link, the engine session and file operations over it,
 * and what the services remember about it while it is open.
 */
import type { PortInfo } from '../../../common/api/contract.js';
import type { BoardFiles } from '../../../common/board/files/BoardFiles.js';
import type { BoardSession } from '../../../common/board/BoardSession.js';
import type { Link } from '../../../common/link/Link.js';
import type { Disposable } from '../../../common/util/disposable.js';
import type { PortLease } from '../../ports/PortLeases.js';
import type { BoardPins } from '../../vboard/VirtualBoard.js';

/** How much of the REPL's latest output is kept to tell whether it sits at a prompt. */
const REPL_PROMPT_TAIL_CHARS = 8;
/** The friendly REPL's prompts: `>>> `, continuation `... `, and aiorepl's `--> `. */
const REPL_PROMPT_AT_END = /(>>>|\.\.\.|-->) $/;

/** What the services need of the built-in virtual board (VirtualBoard implements it). */
export interface VirtualBoardHost {
  link(): Link;
  readonly pins: BoardPins;
  stop(): Promise<void>;
}

export interface ConnectionTarget {
  readonly path: string;
  readonly baudRate: number | undefined;
  readonly port: PortInfo;
}

export class Connection implements ConnectionTarget {
  readonly disposables: Disposable[] = [];
  /** Editor completion answers (cleared by run and reset, which change what exists). */
  readonly completions = new Map<string, string[]>();
  /** Probed and reported as connected; before that, the connect handles failures itself. */
  ready = false;
  closed = false;
  /** The last few characters the REPL printed: a prompt there means nothing of the user's is running. */
  private terminalTail = '';

  constructor(
    readonly path: string,
    readonly baudRate: number | undefined,
    readonly port: PortInfo,
    readonly link: Link,
    readonly session: BoardSession,
    readonly files: BoardFiles,
    readonly virtual: VirtualBoardHost | undefined,
    /** The serial port's lease; none for the virtual board. */
    readonly lease: PortLease | undefined,
  ) {}

  /** True while the connection is usable by the services. */
  get usable(): boolean {
    return this.ready && !this.closed;
  }

  noteTerminalOutput(bytes: Uint8Array): void {
    let tail = '';
    // Latin-1 is enough to recognise an ASCII prompt without decoding UTF-8.
    for (const b of bytes.subarray(Math.max(0, bytes.length - REPL_PROMPT_TAIL_CHARS))) tail += String.fromCharCode(b);
    this.terminalTail = (this.terminalTail + tail).slice(-REPL_PROMPT_TAIL_CHARS);
  }

  /** The friendly REPL sits at a prompt: nothing of the user's (a main.py started by a reset) runs. */
  get atPrompt(): boolean {
    return REPL_PROMPT_AT_END.test(this.terminalTail);
  }
}
