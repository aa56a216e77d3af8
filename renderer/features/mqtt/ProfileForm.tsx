/**
 * A connection's settings: address, MQTT version, client id, login, TLS,
 * keepalive, clean start, session expiry and last will. Secrets are typed
 * here and go to the host, which seals them; they never come back, so a saved
 * password shows as "saved" with a way to replace or remove it.
 */
import { useState, type FormEvent } from 'react';
import { brokerUrlProblem, type MqttProfileDto, type MqttProfileInput } from '../../../electron/common/api/contract.js';
import { checkTopicName } from '../../../electron/common/mqtt/topics.js';
import { nameForUrl, profileForUrl } from '../../../electron/common/mqtt/profileDefaults.js';
import { QosSelect } from './QosSelect.js';

interface ProfileFormProps {
  /** The profile to edit; absent: a new one for `url`. */
  profile?: MqttProfileDto;
  url?: string;
  secretsStorage: string;
  onSave(input: MqttProfileInput, connect: boolean): Promise<void>;
  onCancel(): void;
}

type Secret = { kind: 'keep' } | { kind: 'set'; value: string } | { kind: 'remove' };

export function ProfileForm({ profile, url, secretsStorage, onSave, onCancel }: ProfileFormProps) {
  const base = profile ?? { ...profileForUrl(url ?? 'mqtt://localhost:1883'), hasPassword: false, tls: { ca: '', clientCert: '', hasClientKey: false, verify: true } };
  const [name, setName] = useState(base.name);
  const [brokerUrl, setBrokerUrl] = useState(base.url);
  const [version, setVersion] = useState<4 | 5>(base.protocolVersion);
  const [clientId, setClientId] = useState(base.clientId);
  const [username, setUsername] = useState(base.username);
  const [password, setPassword] = useState<Secret>({ kind: 'keep' });
  const [ca, setCa] = useState(base.tls.ca);
  const [clientCert, setClientCert] = useState(base.tls.clientCert);
  const [clientKey, setClientKey] = useState<Secret>({ kind: 'keep' });
  const [verify, setVerify] = useState(base.tls.verify);
  const [keepalive, setKeepalive] = useState(String(base.keepaliveSeconds));
  const [cleanStart, setCleanStart] = useState(base.cleanStart);
  const [sessionExpiry, setSessionExpiry] = useState(String(base.sessionExpirySeconds));
  const [willOn, setWillOn] = useState(base.will !== null);
  const [willTopic, setWillTopic] = useState(base.will?.topic ?? '');
  const [willPayload, setWillPayload] = useState(base.will?.payload ?? 'offline');
  const [willQos, setWillQos] = useState<0 | 1 | 2>(base.will?.qos ?? 0);
  const [willRetain, setWillRetain] = useState(base.will?.retain ?? true);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const urlProblem = brokerUrlProblem(brokerUrl);
  const secure = /^(mqtts|wss):/i.test(brokerUrl.trim());
  const willProblem = willOn ? (checkTopicName(willTopic).ok ? null : (checkTopicName(willTopic) as { error: string }).error) : null;
  const keepaliveProblem = /^\d+$/.test(keepalive) && Number(keepalive) <= 65_535 ? null : 'Keepalive is a whole number of seconds up to 65535.';
  const expiryProblem = /^\d+$/.test(sessionExpiry) ? null : 'Session expiry is a whole number of seconds.';
  const problem = urlProblem ?? willProblem ?? keepaliveProblem ?? expiryProblem;

  const secretValue = (secret: Secret) => (secret.kind === 'keep' ? undefined : secret.kind === 'remove' ? null : secret.value);

  const submit = async (connect: boolean, event?: FormEvent) => {
    event?.preventDefault();
    if (problem) return;
    setSaving(true);
    setError(null);
    const password_ = secretValue(password);
    const key = secretValue(clientKey);
    try {
      await onSave(
        {
          ...(profile ? { id: profile.id } : {}),
          name: name.trim() || nameForUrl(brokerUrl),
          url: brokerUrl.trim(),
          protocolVersion: version,
          clientId: clientId.trim(),
          username,
          ...(password_ !== undefined ? { password: password_ } : {}),
          tls: { ca, clientCert, verify, ...(key !== undefined ? { clientKey: key } : {}) },
          keepaliveSeconds: Number(keepalive),
          cleanStart,
          sessionExpirySeconds: Number(sessionExpiry),
          will: willOn ? { topic: willTopic, payload: willPayload, qos: willQos, retain: willRetain } : null,
          subscriptions: profile?.subscriptions ?? [{ filter: '#', qos: 0 }],
        },
        connect,
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  const secretField = (label: string, saved: boolean, secret: Secret, set: (s: Secret) => void, multiline: boolean) => (
    <div className="mqtt-field">
      <span>{label}</span>
      {saved && secret.kind === 'keep' ? (
        <span className="mqtt-secret-saved">
          Saved ({secretsStorage ? 'encrypted' : 'hidden'}){' '}
          <button type="button" className="link-button" onClick={() => set({ kind: 'set', value: '' })}>
            Replace
          </button>{' '}
          <button type="button" className="link-button" onClick={() => set({ kind: 'remove' })}>
            Remove
          </button>
        </span>
      ) : secret.kind === 'remove' ? (
        <span className="mqtt-secret-saved">
          Will be removed{' '}
          <button type="button" className="link-button" onClick={() => set({ kind: 'keep' })}>
            Undo
          </button>
        </span>
      ) : multiline ? (
        <textarea className="text-input mqtt-pem" aria-label={label} spellCheck={false} value={secret.kind === 'set' ? secret.value : ''} onChange={(e) => set({ kind: 'set', value: e.target.value })} placeholder="-----BEGIN PRIVATE KEY-----" />
      ) : (
        <input className="text-input" type="password" aria-label={label} autoComplete="off" value={secret.kind === 'set' ? secret.value : ''} onChange={(e) => set({ kind: 'set', value: e.target.value })} />
      )}
    </div>
  );

  return (
    <form className="mqtt-profile-form" aria-label="Connection settings" onSubmit={(e) => void submit(true, e)}>
      <label className="mqtt-field">
        <span>Name</span>
        <input className="text-input" aria-label="Connection name" value={name} placeholder={nameForUrl(brokerUrl)} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="mqtt-field">
        <span>Address</span>
        <input className="text-input" aria-label="Address" value={brokerUrl} spellCheck={false} aria-invalid={urlProblem ? true : undefined} onChange={(e) => setBrokerUrl(e.target.value)} />
      </label>
      {urlProblem && <p className="mqtt-inline-error">{urlProblem}</p>}
      <label className="mqtt-field">
        <span>MQTT version</span>
        <select className="select-input" aria-label="MQTT version" value={version} onChange={(e) => setVersion(Number(e.target.value) as 4 | 5)}>
          <option value={4}>3.1.1</option>
          <option value={5}>5.0</option>
        </select>
      </label>
      <label className="mqtt-field">
        <span>Client ID</span>
        <input className="text-input" aria-label="Client ID" value={clientId} placeholder="generated for each connection" spellCheck={false} onChange={(e) => setClientId(e.target.value)} />
      </label>
      <label className="mqtt-field">
        <span>Username</span>
        <input className="text-input" aria-label="Username" value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} />
      </label>
      {secretField('Password', profile?.hasPassword ?? false, password, setPassword, false)}
      <p className="mqtt-note">Passwords and keys are {secretsStorage || 'encrypted at rest'}.</p>
      <fieldset className="mqtt-fieldset" disabled={!secure}>
        <legend>TLS {secure ? '' : '(for mqtts:// and wss://)'}</legend>
        <label className="mqtt-field">
          <span>CA certificate (PEM)</span>
          <textarea className="text-input mqtt-pem" aria-label="CA certificate" spellCheck={false} value={ca} placeholder="empty: the system's certificate authorities" onChange={(e) => setCa(e.target.value)} />
        </label>
        <label className="mqtt-field">
          <span>Client certificate (PEM)</span>
          <textarea className="text-input mqtt-pem" aria-label="Client certificate" spellCheck={false} value={clientCert} onChange={(e) => setClientCert(e.target.value)} />
        </label>
        {secretField('Client key', profile?.tls.hasClientKey ?? false, clientKey, setClientKey, true)}
        <label className="mqtt-check">
          <input type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} /> Check the broker's certificate
        </label>
        {!verify && secure && (
          <p className="mqtt-warning" role="alert">
            Certificate checks are off: anyone between you and the broker can read and change the traffic.
          </p>
        )}
      </fieldset>
      <label className="mqtt-field">
        <span>Keepalive (s)</span>
        <input className="text-input" aria-label="Keepalive" inputMode="numeric" value={keepalive} onChange={(e) => setKeepalive(e.target.value)} />
      </label>
      <label className="mqtt-check">
        <input type="checkbox" checked={cleanStart} onChange={(e) => setCleanStart(e.target.checked)} /> Clean start (forget the previous session)
      </label>
      {version === 5 && (
        <label className="mqtt-field">
          <span>Session expiry (s)</span>
          <input className="text-input" aria-label="Session expiry" inputMode="numeric" value={sessionExpiry} onChange={(e) => setSessionExpiry(e.target.value)} />
        </label>
      )}
      <label className="mqtt-check">
        <input type="checkbox" checked={willOn} onChange={(e) => setWillOn(e.target.checked)} /> Last will (sent by the broker if this connection drops)
      </label>
      {willOn && (
        <div className="mqtt-fieldset">
          <label className="mqtt-field">
            <span>Will topic</span>
            <input className="text-input" aria-label="Will topic" value={willTopic} aria-invalid={willProblem ? true : undefined} onChange={(e) => setWillTopic(e.target.value)} />
          </label>
          {willProblem && willTopic !== '' && <p className="mqtt-inline-error">{willProblem}</p>}
          <label className="mqtt-field">
            <span>Will message</span>
            <input className="text-input" aria-label="Will message" value={willPayload} onChange={(e) => setWillPayload(e.target.value)} />
          </label>
          <div className="mqtt-row">
            <QosSelect label="Will QoS" value={willQos} onChange={setWillQos} />
            <label className="mqtt-check">
              <input type="checkbox" checked={willRetain} onChange={(e) => setWillRetain(e.target.checked)} /> Retain
            </label>
          </div>
        </div>
      )}
      {keepaliveProblem && <p className="mqtt-inline-error">{keepaliveProblem}</p>}
      {expiryProblem && version === 5 && <p className="mqtt-inline-error">{expiryProblem}</p>}
      {error && (
        <p className="mqtt-inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="mqtt-row">
        <button type="submit" className="button primary" disabled={saving || problem !== null}>
          Save and connect
        </button>
        <button type="button" className="button" disabled={saving || problem !== null} onClick={() => void submit(false)}>
          Save
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
