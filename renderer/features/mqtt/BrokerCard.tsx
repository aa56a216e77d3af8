/**
 * The broker on this computer: start and stop in one click, on this computer
 * only or (with a warning) for boards on the network, with what to paste on
 * a board and a button that connects the explorer to it.
 */
import { useState } from 'react';
import { useWorkbench } from '../../app/WorkbenchProvider.js';
import { useObservable } from '../../shared/util/Observable.js';
import type { MqttExplorer } from './MqttExplorer.js';

export function BrokerCard({ explorer, onConnect }: { explorer: MqttExplorer; onConnect(url: string): Promise<void> }) {
  const workbench = useWorkbench();
  const status = useObservable(explorer.broker);
  const [lan, setLan] = useState(false);
  const [websocket, setWebsocket] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const running = status?.running === true;
  const credentialsProblem = (username === '') !== (password === '') ? 'Give a username and a password together, or neither.' : null;

  const act = async (title: string, work: () => Promise<unknown>) => {
    setBusy(true);
    await workbench.attempt(title, work);
    setBusy(false);
  };

  const start = () =>
    act('Could not start the broker', async () => {
      const next = await workbench.api.call('broker.start', { lan, websocket, ...(username !== '' && password !== '' ? { username, password } : {}) });
      explorer.broker.set(next);
    });
  const stop = () =>
    act('Could not stop the broker', async () => {
      explorer.broker.set(await workbench.api.call('broker.stop', {}));
    });

  return (
    <section className="mqtt-section mqtt-broker" aria-label="Broker on this computer">
      <h3 className="section-title">Broker on this computer</h3>
      {running ? (
        <>
          <p className="mqtt-broker-state" role="status">
            Running on port {status.port}
            {status.websocketPort !== undefined && ` (WebSocket ${status.websocketPort})`}
            {status.lan ? `, reachable at ${status.addresses.join(', ') || 'no network address yet'}` : ', this computer only'}
            {status.authenticated ? ', login required.' : '.'}
          </p>
          {status.lan && !status.authenticated && (
            <p className="mqtt-warning" role="alert">
              Anyone on your network can publish and subscribe. Stop it and set a username and password to require them.
            </p>
          )}
          <div className="mqtt-row">
            <button type="button" className="button primary small" disabled={busy} onClick={() => void onConnect(`mqtt://127.0.0.1:${status.port}`)}>
              Connect to it
            </button>
            <button type="button" className="button small" disabled={busy} onClick={() => void stop()}>
              Stop broker
            </button>
          </div>
          {!status.lan && <p className="mqtt-note">Boards on Wi-Fi cannot reach a broker that listens on this computer only: stop it and let boards on your network connect.</p>}
          {status.lan && status.addresses.length === 0 && <p className="mqtt-note">This computer has no network address right now, so boards cannot reach it yet.</p>}
          {status.configJson && <Snippet label="config.json for a board" text={status.configJson} />}
          {status.umqttSnippet && <Snippet label="MicroPython (umqtt.simple)" text={status.umqttSnippet} />}
        </>
      ) : (
        <>
          <p className="mqtt-note">No broker? Run one here, on port 1883 or the next free one. Retained messages are kept between starts.</p>
          <label className="mqtt-check">
            <input type="checkbox" checked={lan} onChange={(e) => setLan(e.target.checked)} /> Let boards on my network connect
          </label>
          {lan && <p className="mqtt-warning">Devices on your network will reach it; set a username and password unless you trust them all.</p>}
          {lan && (
            <div className="mqtt-row">
              <input className="text-input" aria-label="Broker username" placeholder="Username (optional)" autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
              <input className="text-input" aria-label="Broker password" placeholder="Password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
          )}
          {credentialsProblem && <p className="mqtt-inline-error">{credentialsProblem}</p>}
          <label className="mqtt-check">
            <input type="checkbox" checked={websocket} onChange={(e) => setWebsocket(e.target.checked)} /> Also accept MQTT over WebSocket
          </label>
          <button type="button" className="button small" disabled={busy || credentialsProblem !== null} onClick={() => void start()}>
            Start broker
          </button>
          {status?.error && (
            <p className="mqtt-inline-error" role="alert">
              {status.error}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function Snippet({ label, text }: { label: string; text: string }) {
  const workbench = useWorkbench();
  return (
    <div className="mqtt-snippet">
      <div className="mqtt-snippet-header">
        <span>{label}</span>
        <button
          type="button"
          className="link-button"
          aria-label={`Copy ${label}`}
          onClick={() => void workbench.attempt('Could not copy', () => navigator.clipboard.writeText(text))}
        >
          Copy
        </button>
      </div>
      <pre className="mqtt-snippet-text">{text}</pre>
    </div>
  );
}
