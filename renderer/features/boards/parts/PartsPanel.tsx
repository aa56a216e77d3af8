/**
 * Parts wired to the virtual board, beside its card: add one, give it a pin,
 * and it reacts to the program (an LED dims with PWM, a strip lights up, the
 * OLED draws) or feeds it (press the button, move a slider). The host owns
 * the wiring and the values (`vboard.parts`); this draws them.
 */
import './PartsPanel.css';
import { useEffect, useRef, useState } from 'react';
import type { PartOutput, PartsState } from '../../../../electron/common/api/contract.js';
import type { PartInput, PartKind, PartWiring } from '../../../../electron/common/parts/partsWiring.js';
import { useLiveApiQuery } from '../../../app/useApiQuery.js';
import { useWorkbench } from '../../../app/WorkbenchProvider.js';
import { CloseIcon } from '../../../shared/icons/Icons.js';
import { OledDisplay } from './OledDisplay.js';
import { newPart, PART_LABELS } from './partDefaults.js';

const KINDS = Object.keys(PART_LABELS) as PartKind[];

export function PartsPanel() {
  const workbench = useWorkbench();
  const state = useLiveApiQuery('vboard.parts', {}, 'vboard.parts');
  const [adding, setAdding] = useState(false);
  if (!state) return null;

  const rewire = (wiring: PartWiring[], what: string) =>
    workbench.attempt(`Could not ${what}`, () => workbench.api.call('vboard.setParts', { parts: wiring }, { timeoutMs: 0 }));
  const send = (id: string, input: PartInput) => void workbench.attempt(`Could not set ${id}`, () => workbench.api.call('vboard.partInput', { id, input }));

  return (
    <section className="parts-panel" aria-label="Parts wired to the virtual board" data-testid="parts-panel">
      <div className="parts-header">
        <span className="parts-title">Parts</span>
        <select
            className="parts-add"
            aria-label="Add a part"
            data-testid="add-part"
            value=""
            disabled={adding}
            onChange={(e) => {
              const kind = e.target.value as PartKind;
              if (!KINDS.includes(kind)) return;
              setAdding(true);
              void rewire([...state.wiring, newPart(kind, state.wiring)], `add a ${PART_LABELS[kind]}`).finally(() => setAdding(false));
            }}
          >
            <option value="">Add part…</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {PART_LABELS[kind]}
              </option>
            ))}
          </select>
      </div>
      {state.wiring.length === 0 ? (
        <p className="parts-note">Wire an LED, a button, a sensor or a display to the virtual board; programs written for a real ESP32 drive them unchanged.</p>
      ) : (
        <ul className="parts-list">
          {state.wiring.map((part) => (
            <PartRow
              key={part.id}
              part={part}
              input={state.inputs[part.id]}
              output={state.outputs[part.id]}
              onRewire={(next) => void rewire(state.wiring.map((p) => (p.id === part.id ? next : p)), `rewire ${part.id}`)}
              onRemove={() => void rewire(state.wiring.filter((p) => p.id !== part.id), `remove ${part.id}`)}
              onInput={(input) => send(part.id, input)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface PartRowProps {
  part: PartWiring;
  input: PartInput | undefined;
  output: PartOutput | undefined;
  onRewire(part: PartWiring): void;
  onRemove(): void;
  onInput(input: PartInput): void;
}

function PartRow({ part, input, output, onRewire, onRemove, onInput }: PartRowProps) {
  const label = `${PART_LABELS[part.kind]} ${part.id}`;
  return (
    <li className="part" data-testid="part" data-part-id={part.id} data-kind={part.kind}>
      <div className="part-head">
        <span className="part-name">{label}</span>
        <PinFields part={part} label={label} onRewire={onRewire} />
        <button type="button" className="icon-button" aria-label={`Remove ${label}`} title={`Remove ${label}`} onClick={onRemove}>
          <CloseIcon size={14} />
        </button>
      </div>
      <PartBody part={part} label={label} input={input} output={output} onInput={onInput} />
    </li>
  );
}

/** The GPIO (or SDA and SCL) a part is wired to; a change rewires it when the field is left or Enter pressed. */
function PinFields({ part, label, onRewire }: { part: PartWiring; label: string; onRewire(part: PartWiring): void }) {
  if (part.kind === 'ssd1306') {
    return (
      <span className="part-pins">
        <PinField value={part.sda} name="SDA" label={`${label} SDA pin`} onChange={(sda) => onRewire({ ...part, sda })} />
        <PinField value={part.scl} name="SCL" label={`${label} SCL pin`} onChange={(scl) => onRewire({ ...part, scl })} />
      </span>
    );
  }
  return (
    <span className="part-pins">
      <PinField value={part.pin} name="GPIO" label={`${label} pin`} onChange={(pin) => onRewire({ ...part, pin })} />
    </span>
  );
}

function PinField({ value, name, label, onChange }: { value: number; name: string; label: string; onChange(pin: number): void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    const pin = Number(text);
    if (Number.isInteger(pin) && pin >= 0 && pin <= 39 && pin !== value) onChange(pin);
    else setText(String(value));
  };
  return (
    <label className="part-pin">
      {name}
      <input
        className="text-input"
        inputMode="numeric"
        aria-label={label}
        value={text}
        size={2}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

function PartBody({ part, label, input, output, onInput }: { part: PartWiring; label: string; input: PartInput | undefined; output: PartOutput | undefined; onInput(input: PartInput): void }) {
  switch (part.kind) {
    case 'led': {
      const brightness = output?.kind === 'led' ? output.brightness : 0;
      return <span className={`part-led ${part.color}`} style={{ opacity: 0.15 + 0.85 * brightness }} data-testid="part-led" data-brightness={brightness.toFixed(3)} role="img" aria-label={`${label}: ${Math.round(brightness * 100)}% lit`} />;
    }
    case 'button':
      return <PushButton label={label} pressed={input?.kind === 'button' && input.pressed} onInput={onInput} />;
    case 'potentiometer': {
      const position = input?.kind === 'potentiometer' ? input.position : 0;
      return (
        <Slider label={`${label} position`} min={0} max={100} step={1} value={Math.round(position * 100)} unit="%" onChange={(v) => onInput({ kind: 'potentiometer', position: v / 100 })} />
      );
    }
    case 'dht22': {
      const values = input?.kind === 'dht22' ? input : { temperature: 22.5, humidity: 45 };
      return (
        <>
          <Slider label={`${label} temperature`} min={-40} max={80} step={0.5} value={values.temperature} unit="°C" onChange={(t) => onInput({ kind: 'dht22', temperature: t, humidity: values.humidity })} />
          <Slider label={`${label} humidity`} min={0} max={100} step={0.5} value={values.humidity} unit="%" onChange={(h) => onInput({ kind: 'dht22', temperature: values.temperature, humidity: h })} />
        </>
      );
    }
    case 'ds18b20': {
      const temperature = input?.kind === 'ds18b20' ? input.temperature : 21;
      return <Slider label={`${label} temperature`} min={-55} max={125} step={0.5} value={temperature} unit="°C" onChange={(t) => onInput({ kind: 'ds18b20', temperature: t })} />;
    }
    case 'neopixel': {
      const colors = output?.kind === 'neopixel' ? output.colors : [];
      return (
        <span className="part-strip" data-testid="part-strip" data-colors={colors.join(' ')} role="img" aria-label={`${label}: ${colors.filter((c) => c !== '#000000').length} of ${part.count} lit`}>
          {Array.from({ length: part.count }, (_, i) => (
            <span key={i} className="part-pixel" style={{ background: colors[i] ?? '#000000' }} />
          ))}
        </span>
      );
    }
    case 'ssd1306':
      return <OledDisplay label={label} output={output?.kind === 'ssd1306' ? output : undefined} />;
  }
}

function PushButton({ label, pressed, onInput }: { label: string; pressed: boolean; onInput(input: PartInput): void }) {
  const set = (down: boolean) => {
    if (down !== pressed) onInput({ kind: 'button', pressed: down });
  };
  return (
    <button
      type="button"
      className={`part-button${pressed ? ' pressed' : ''}`}
      aria-label={label}
      aria-pressed={pressed}
      title="Hold to press (mouse, or Space)"
      onPointerDown={() => set(true)}
      onPointerUp={() => set(false)}
      onPointerLeave={() => set(false)}
      onKeyDown={(e) => {
        if (e.key === ' ' && !e.repeat) {
          e.preventDefault();
          set(true);
        }
      }}
      onKeyUp={(e) => {
        if (e.key === ' ') set(false);
      }}
    >
      {pressed ? 'Pressed' : 'Press'}
    </button>
  );
}

function Slider({ label, min, max, step, value, unit, onChange }: { label: string; min: number; max: number; step: number; value: number; unit: string; onChange(value: number): void }) {
  // The slider moves at once. The host's answers (each value, a moment later) keep it in step with other
  // windows, but not while the person is moving it: an answer to an earlier key would pull it back.
  const [shown, setShown] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (document.activeElement !== input.current) setShown(value);
  }, [value]);
  return (
    <label className="part-slider">
      <input
        ref={input}
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={step}
        value={shown}
        onChange={(e) => {
          const next = Number(e.target.value);
          setShown(next);
          onChange(next);
        }}
        onBlur={() => setShown(value)}
      />
      <span className="part-value">
        {shown}
        {unit}
      </span>
    </label>
  );
}
