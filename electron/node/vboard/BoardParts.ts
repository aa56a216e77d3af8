/**
 * The parts wired to the board, on the main thread: the wiring (checked
 * with PartsWiring), which each boot hands to its interpreter thread
 * (WorkerInit.parts: bus parts are attached as Python models at boot), and
 * the values the person sets on them: a sensor's reading goes into shared
 * words its model reads while Python runs (PART_INPUT), a button's press
 * and a potentiometer's position onto their pin. Sensor values outlive
 * resets, as the room's temperature does.
 */
import { PartInput, parsePartsWiring, type PartWiring, type PartWiringInput } from '../../common/parts/partsWiring.js';
import { PART_INPUT, PART_INPUT_BYTES, PART_INPUT_SLOTS } from './boardProtocol.js';
import type { BoardPeripheralsView } from './BoardPeripherals.js';
import type { BoardPins } from './BoardPinLevels.js';

/** What a sensor reads until the person sets it: a comfortable room. */
const DEFAULT_INPUTS = {
  dht22: { kind: 'dht22', temperature: 22.5, humidity: 45 },
  ds18b20: { kind: 'ds18b20', temperature: 21 },
} as const satisfies Record<string, PartInput>;

/** A potentiometer's wiper at the top: 3.3 V. */
const FULL_SCALE_MICROVOLTS = 3_300_000;

export class BoardParts {
  /** Shared with every interpreter thread (WorkerInit.partInputs). */
  readonly inputs = new SharedArrayBuffer(PART_INPUT_BYTES);
  private readonly words = new Int32Array(this.inputs);
  private wiring: PartWiring[] = [];
  /** Sensor values by part id, kept when the wiring changes around them. */
  private readonly sensorValues = new Map<string, PartInput>();

  constructor(
    private readonly pins: BoardPins,
    private readonly peripherals: BoardPeripheralsView,
    parts: readonly PartWiringInput[] = [],
  ) {
    this.set(parts);
  }

  get parts(): readonly PartWiring[] {
    return this.wiring;
  }

  /** Replaces the wiring (throws naming the problem when it is not a valid one). */
  set(parts: readonly PartWiringInput[]): void {
    const parsed = parsePartsWiring(parts);
    if (!parsed.ok) throw new Error(`invalid parts wiring: ${parsed.problem}`);
    const next = parsed.parts;
    // A button or potentiometer taken off the board no longer holds its pin.
    for (const old of this.wiring) {
      const still = next.find((p) => p.id === old.id && p.kind === old.kind && 'pin' in p && 'pin' in old && p.pin === old.pin);
      if (still) continue;
      if (old.kind === 'button') this.pins.setInput(old.pin, undefined);
      if (old.kind === 'potentiometer') this.peripherals.setAnalogInput(old.pin, 0);
    }
    this.wiring = next;
    for (const part of next) if (part.kind === 'dht22' || part.kind === 'ds18b20') this.writeSensor(part.pin, this.sensorValue(part.id, part.kind));
  }

  /** A value the person set on a wired part; throws when no part has that id or the value is for another kind. */
  setInput(id: string, input: PartInput): void {
    const value = PartInput.parse(input);
    const part = this.wiring.find((p) => p.id === id);
    if (!part) throw new Error(`no part "${id}" is wired to the board`);
    if (part.kind !== value.kind) throw new Error(`part "${id}" is a ${part.kind}, not a ${value.kind}`);
    switch (value.kind) {
      case 'button':
        // Wired to ground: pressed pulls the pin low; released it floats and its pull decides.
        this.pins.setInput(partPin(part), value.pressed ? 0 : undefined);
        break;
      case 'potentiometer':
        this.peripherals.setAnalogInput(partPin(part), value.position * FULL_SCALE_MICROVOLTS);
        break;
      case 'dht22':
      case 'ds18b20':
        this.sensorValues.set(id, value);
        this.writeSensor(partPin(part), value);
        break;
    }
  }

  private sensorValue(id: string, kind: 'dht22' | 'ds18b20'): PartInput {
    const kept = this.sensorValues.get(id);
    return kept?.kind === kind ? kept : DEFAULT_INPUTS[kind];
  }

  private writeSensor(pin: number, value: PartInput): void {
    const base = pin * PART_INPUT_SLOTS;
    if (value.kind === 'dht22' || value.kind === 'ds18b20') Atomics.store(this.words, base + PART_INPUT.TEMPERATURE_MILLI_C, Math.round(value.temperature * 1000));
    if (value.kind === 'dht22') Atomics.store(this.words, base + PART_INPUT.HUMIDITY_MILLI_PERCENT, Math.round(value.humidity * 1000));
  }
}

function partPin(part: PartWiring): number {
  if (part.kind === 'ssd1306') throw new Error(`part "${part.id}" takes no input`);
  return part.pin;
}
