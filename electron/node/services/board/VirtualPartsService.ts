/**
 * The parts wired to the built-in virtual board, for the parts panel: the
 * wiring (kept in the settings, given to the board), what the person sets on
 * parts (a button press, a slider), and what the board shows on them (an
 * LED's brightness from its pin or PWM duty, a NeoPixel strip's colours, the
 * OLED's picture), pushed as `vboard.parts` events merged per interval.
 */
import type { EventHub } from '../../../common/api/EventHub.js';
import type { PartOutput, PartsState, vboardCalls } from '../../../common/api/contract.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import { ApiError } from '../../../common/api/errors.js';
import { PartsWiring, type PartInput, type PartWiring } from '../../../common/parts/partsWiring.js';
import type { SettingsStore } from '../SettingsStore.js';
import type { BoardConnectionService } from './BoardConnectionService.js';
import type { VirtualBoardHost } from './Connection.js';
import { partOutput } from './partOutputs.js';

/** Parts changes are merged into one `vboard.parts` event per interval (a PWM fade must not flood IPC). */
export const PARTS_EVENT_INTERVAL_MS = 50;

/** Parts that are Python models on a bus: the board takes them at boot. */
const BUS_PARTS = new Set<PartWiring['kind']>(['dht22', 'ssd1306', 'ds18b20']);

export interface VirtualPartsOptions {
  connections: BoardConnectionService;
  settings: SettingsStore;
  events: EventHub;
  /** Restarts the connected board (the EN button), so parts on a bus join it. */
  resetBoard(): Promise<unknown>;
}

export class VirtualPartsService {
  private readonly inputs = new Map<string, PartInput>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: VirtualPartsOptions) {
    options.connections.onDidChangeConnection((conn) => {
      const board = conn?.virtual;
      if (board) {
        this.applyTo(board);
        conn.disposables.push(
          board.pins.onPinChange(() => this.schedule()),
          board.peripherals.onChange(() => this.schedule()),
        );
      }
      this.emit();
    });
  }

  handlers(): Pick<HandlersFor<typeof vboardCalls>, 'vboard.parts' | 'vboard.setParts' | 'vboard.partInput'> {
    return {
      'vboard.parts': async () => this.state(),
      'vboard.setParts': (p) => this.setParts(p.parts),
      'vboard.partInput': async (p) => {
        this.setInput(p.id, p.input);
        return {};
      },
    };
  }

  /** The wiring in the settings (what a board started now is given). */
  get wiring(): PartWiring[] {
    return this.options.settings.get().virtualBoardParts ?? [];
  }

  async setParts(parts: PartWiring[]): Promise<PartsState> {
    const wiring = PartsWiring.parse(parts);
    const before = this.wiring;
    await this.options.settings.update({ virtualBoardParts: wiring.length > 0 ? wiring : undefined });
    for (const id of [...this.inputs.keys()]) if (!wiring.some((p) => p.id === id && p.kind === this.inputs.get(id)!.kind)) this.inputs.delete(id);
    const board = this.board();
    if (board) {
      this.applyTo(board);
      if (busPartsKey(before) !== busPartsKey(wiring)) await this.options.resetBoard();
    }
    this.emit();
    return this.state();
  }

  setInput(id: string, input: PartInput): void {
    const part = this.wiring.find((p) => p.id === id);
    if (!part) throw new ApiError('NOT_FOUND', `No part "${id}" is wired to the virtual board.`);
    if (part.kind !== input.kind) throw new ApiError('BAD_REQUEST', `"${id}" is a ${part.kind}, not a ${input.kind}.`);
    this.inputs.set(id, input);
    this.board()?.setPartInput(id, input);
    this.emit();
  }

  state(): PartsState {
    const board = this.board();
    const outputs: Record<string, PartOutput> = {};
    if (board) {
      for (const part of this.wiring) {
        const output = partOutput(part, board);
        if (output) outputs[part.id] = output;
      }
    }
    return { wiring: this.wiring, inputs: Object.fromEntries(this.inputs), outputs, live: board !== undefined };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private board(): VirtualBoardHost | undefined {
    return this.options.connections.current?.virtual;
  }

  /** Gives the board the wiring and what the person set on its parts. */
  private applyTo(board: VirtualBoardHost): void {
    const wiring = this.wiring;
    if (JSON.stringify(board.parts) !== JSON.stringify(wiring)) board.setParts(wiring);
    for (const [id, input] of this.inputs) if (wiring.some((p) => p.id === id)) board.setPartInput(id, input);
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.emit();
    }, PARTS_EVENT_INTERVAL_MS);
  }

  private emit(): void {
    if (!this.disposed) this.options.events.emit('vboard.parts', this.state());
  }
}

/** The bus parts and their wiring, to tell whether the board must boot again to take them. */
function busPartsKey(parts: readonly PartWiring[]): string {
  return JSON.stringify(parts.filter((p) => BUS_PARTS.has(p.kind)));
}
