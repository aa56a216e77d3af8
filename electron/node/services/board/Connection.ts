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
import type { PartInput, PartWiring } from '../../../common/parts/partsWiring.js';
import type { BoardPeripheralsView } from '../../vboard/BoardPeripherals.js';
import type { BoardPins } from '../../vboard/VirtualBoard.js';
import { ReplActivity } from './ReplActivity.js';


/** What the services need of the built-in virtual board (VirtualBoard implements it). */
export interface VirtualBoardHost {
  link(): Link;
  readonly pins: BoardPins;
  /** What Python set on PWM, NeoPixel and display peripherals, per pin. */
  readonly peripherals: BoardPeripheralsView;
  /** The parts wired to it; parts on a bus join at its next boot. */
  readonly parts: readonly PartWiring[];
  setParts(parts: readonly PartWiring[]): void;
  /** A button press, a slider: what the person sets on a wired part. */
  setPartInput(id: string, input: PartInput): void;
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
  /** What runs in the friendly REPL (a reset's main.py, a typed statement); the service reports it in the status. */
  readonly replActivity: ReplActivity;

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
    onReplActivity: (running: boolean) => void = () => {},
  ) {
    this.replActivity = new ReplActivity(onReplActivity);
  }

  /** True while the connection is usable by the services. */
  get usable(): boolean {
    return this.ready && !this.closed;
  }

  /** The friendly REPL sits at a prompt: nothing of the user's (a main.py started by a reset) runs. */
  get atPrompt(): boolean {
    return this.replActivity.atPrompt;
  }
}
