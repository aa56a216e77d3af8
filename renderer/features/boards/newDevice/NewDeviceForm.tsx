/**
 * The new-device wizard's questions, in one dialog: the template, then what
 * it needs (Wi-Fi, broker, client id, topic prefix, pin, interval), then what
 * will be written. The Wi-Fi and broker passwords are password fields and are
 * never shown back. For the virtual board the Wi-Fi is its own (Pinwheel).
 */
import './newDevice.css';
import { useState, type FormEvent, type InputHTMLAttributes } from 'react';
import { VIRTUAL_WIFI } from '../../../../electron/common/board/virtualWifi.js';
import { TEMPLATES, checkTopicPrefix, deviceFiles, templateInfo, type DeviceAnswers, type TemplateId } from '../../../../electron/common/templates/deviceTemplates.js';

export type BrokerChoice = { kind: 'this-computer' } | { kind: 'other'; host: string; port: number; user?: string; password?: string };

export interface NewDeviceRequest {
  /** Broker left out: it is filled in once the chosen broker's address is known. */
  answers: Omit<DeviceAnswers, 'broker'>;
  broker: BrokerChoice | undefined;
}

interface Props {
  virtualBoard: boolean;
  /** The board's files that the template would replace (main.py, boot.py, config.json). */
  existing: string[];
  /** Where the board reaches this computer's broker when it already runs as needed; undefined when it starts on set-up. */
  brokerAddress: string | undefined;
  onAnswer(request: NewDeviceRequest | null): void;
}

/** One labelled text box of the form; `kind` narrow/grow sizes it in its row. */
function Field({ label, value, onChange, kind, ...input }: { label: string; value: string; onChange(value: string): void; kind?: 'narrow' | 'grow' } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  return (
    <label className={`new-device-field${kind ? ` ${kind}` : ''}`}>
      <span>{label}</span>
      <input className="text-input" value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} {...input} />
    </label>
  );
}

function portProblem(text: string): string | undefined {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65_535 ? undefined : 'A port is a number from 1 to 65535.';
}

export function NewDeviceForm({ virtualBoard, existing, brokerAddress, onAnswer }: Props) {
  const [template, setTemplate] = useState<TemplateId>('led-mqtt');
  const info = templateInfo(template);
  const [ssid, setSsid] = useState(virtualBoard ? VIRTUAL_WIFI[0]!.ssid : '');
  const [wifiPassword, setWifiPassword] = useState(virtualBoard ? VIRTUAL_WIFI[0]!.password : '');
  const [brokerKind, setBrokerKind] = useState<'this-computer' | 'other'>('this-computer');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('1883');
  const [user, setUser] = useState('');
  const [brokerPassword, setBrokerPassword] = useState('');
  const [clientId, setClientId] = useState('');
  const [prefix, setPrefix] = useState('test');
  const [pinText, setPinText] = useState<string | null>(null);
  const [interval, setIntervalText] = useState('5');
  const pin = pinText ?? String(info.defaultPin);

  const pinNumber = Number(pin);
  const problems: string[] = [];
  if (!Number.isInteger(pinNumber) || pinNumber < 0 || pinNumber > 48) problems.push('The pin is a GPIO number from 0 to 48.');
  if (info.network) {
    if (ssid.trim() === '') problems.push('Name the Wi-Fi network the board joins.');
    const prefixProblem = checkTopicPrefix(prefix.trim());
    if (prefixProblem) problems.push(prefixProblem);
    if (brokerKind === 'other') {
      if (host.trim() === '') problems.push("Give the broker's address.");
      const p = portProblem(port);
      if (p) problems.push(p);
    }
    if (clientId.length > 64 || /\s/.test(clientId)) problems.push('A client id has no spaces and at most 64 characters.');
  }
  if (template === 'sensor' && !(Number(interval) >= 0.1 && Number(interval) <= 86_400)) problems.push('The interval is a number of seconds (0.1 or more).');

  const answers: Omit<DeviceAnswers, 'broker'> = {
    template,
    ...(info.network ? { wifi: { ssid: ssid.trim(), password: wifiPassword } } : {}),
    clientId: clientId.trim(),
    topicPrefix: prefix.trim(),
    pin: pinNumber,
    intervalS: Number(interval),
  };
  // The files named from the answers as they stand (any broker address does for naming them).
  const files = problems.length === 0 ? Object.keys(deviceFiles({ ...answers, ...(info.network ? { broker: { host: 'x', port: 1 } } : {}) }).files) : [];
  const replaced = files.filter((f) => existing.includes(f));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problems.length > 0) return;
    const broker: BrokerChoice | undefined = !info.network
      ? undefined
      : brokerKind === 'this-computer'
        ? { kind: 'this-computer' }
        : { kind: 'other', host: host.trim(), port: Number(port), ...(user ? { user } : {}), ...(brokerPassword ? { password: brokerPassword } : {}) };
    onAnswer({ answers, broker });
  };

  return (
    <form className="new-device" onSubmit={submit} aria-label="New device">
      <fieldset className="new-device-templates" role="radiogroup" aria-label="Template">
        <legend>What should the board do?</legend>
        {TEMPLATES.map((t) => (
          <label key={t.id} className={`new-device-template${t.id === template ? ' chosen' : ''}`}>
            <input type="radio" name="template" value={t.id} checked={t.id === template} onChange={() => (setTemplate(t.id), setPinText(null))} />
            <span className="new-device-template-title">{t.title}</span>
            <span className="new-device-template-text">{t.description.replaceAll('PREFIX', prefix.trim() || 'PREFIX')}</span>
          </label>
        ))}
      </fieldset>

      {info.network && (
        <fieldset className="new-device-group">
          <legend>Wi-Fi</legend>
          {virtualBoard && <p className="new-device-note">The virtual board joins its own network, {VIRTUAL_WIFI[0]!.ssid}.</p>}
          <div className="new-device-row">
            <Field label="Wi-Fi network" value={ssid} onChange={setSsid} autoComplete="off" />
            <Field label="Wi-Fi password" type="password" value={wifiPassword} onChange={setWifiPassword} autoComplete="new-password" />
          </div>
        </fieldset>
      )}

      {info.network && (
        <fieldset className="new-device-group">
          <legend>MQTT broker</legend>
          <label className="new-device-choice">
            <input type="radio" name="broker" checked={brokerKind === 'this-computer'} onChange={() => setBrokerKind('this-computer')} />
            <span>
              The broker on this computer{' '}
              <span className="new-device-note">
                {brokerAddress
                  ? `(the board connects to ${brokerAddress})`
                  : virtualBoard
                    ? '(started on 127.0.0.1, port 1883 or the next free one)'
                    : "(started on your local network so the board can reach it, at this computer's LAN address)"}
              </span>
            </span>
          </label>
          <label className="new-device-choice">
            <input type="radio" name="broker" checked={brokerKind === 'other'} onChange={() => setBrokerKind('other')} />
            <span>Another broker</span>
          </label>
          {brokerKind === 'other' && (
            <div className="new-device-row">
              <Field label="Broker address" kind="grow" value={host} onChange={setHost} placeholder="192.168.1.20 or broker.example.com" />
              <Field label="Broker port" kind="narrow" value={port} onChange={setPort} inputMode="numeric" />
              <Field label="Broker user" value={user} onChange={setUser} autoComplete="off" />
              <Field label="Broker password" type="password" value={brokerPassword} onChange={setBrokerPassword} autoComplete="new-password" />
            </div>
          )}
          <div className="new-device-row">
            <Field label="Client id" value={clientId} onChange={setClientId} placeholder="from machine.unique_id()" />
            <Field label="Topic prefix" value={prefix} onChange={setPrefix} />
          </div>
        </fieldset>
      )}

      <div className="new-device-row">
        <Field label={info.pinRole} kind="narrow" value={pin} onChange={setPinText} inputMode="numeric" aria-label={`${info.pinRole} (GPIO)`} />
        {template === 'sensor' && <Field label="Every (seconds)" kind="narrow" value={interval} onChange={setIntervalText} inputMode="decimal" />}
      </div>

      <div className="new-device-summary" aria-label="What will happen" role="status">
        {problems.length > 0 ? (
          <p className="dialog-problem">{problems[0]}</p>
        ) : (
          <ul>
            {info.packages.length > 0 && <li>Install {info.packages.join(', ')} to /lib</li>}
            <li>
              Write {files.map((f) => f.slice(1)).join(', ')}
              {replaced.length > 0 && <strong> (replacing the board's {replaced.map((f) => f.slice(1)).join(', ')})</strong>}
            </li>
            <li>Reset the board so they run</li>
            {info.network && <li>Open the MQTT view on the broker, watching {answers.topicPrefix}/#</li>}
          </ul>
        )}
      </div>

      <div className="dialog-buttons">
        <button type="button" className="button" onClick={() => onAnswer(null)}>
          Cancel
        </button>
        <button type="submit" className="button primary" aria-disabled={problems.length > 0} title={problems[0]}>
          Set up the device
        </button>
      </div>
    </form>
  );
}
