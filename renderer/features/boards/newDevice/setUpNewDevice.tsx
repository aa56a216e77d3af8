/**
 * What the new-device wizard does once answered, as the seeds did it by hand:
 * the broker (this computer's started when needed: on the LAN for a real
 * board, which cannot reach 127.0.0.1), the template's packages and files
 * on the board (`device.setup`), a soft reset so boot.py joins the Wi-Fi and
 * main.py runs, then the MQTT view connected to the broker, watching the
 * device's topics, with a dashboard switch for the LED template. The board
 * card's LED follows the template's pin.
 */
import { DEFAULT_CALL_TIMEOUT_MS } from '../../../../electron/common/api/client.js';
import type { BrokerStatusDto, DeviceSetupDto, WidgetDto } from '../../../../electron/common/api/contract.js';
import { profileForUrl } from '../../../../electron/common/mqtt/profileDefaults.js';
import { templateInfo, type DeviceAnswers } from '../../../../electron/common/templates/deviceTemplates.js';
import type { Workbench } from '../../../app/Workbench.js';
import { WorkbenchCommands } from '../../../app/WorkbenchCommands.js';
import { NewDeviceForm, type BrokerChoice, type NewDeviceRequest } from './NewDeviceForm.js';

/** The files the template writes, checked on the board so the wizard can say which it replaces. */
const TEMPLATE_FILES = ['/main.py', '/boot.py', '/config.json'];

export async function runNewDeviceWizard(workbench: Workbench): Promise<void> {
  const status = workbench.board.status.get();
  if (status.state !== 'connected' || !status.port) {
    workbench.notifications.info('Connect a board first', 'The wizard writes its files to the connected board (the virtual board works too).');
    return;
  }
  const virtualBoard = status.port.kind === 'virtual';
  const listing = await workbench.api.call('files.list', { path: '/' }).catch(() => []);
  const existing = listing.map((e) => e.path).filter((p) => TEMPLATE_FILES.includes(p));
  const broker = await workbench.api.call('broker.status', {}).catch(() => undefined);
  const brokerAddress = broker?.running && broker.port !== undefined ? (virtualBoard ? `127.0.0.1:${broker.port}` : broker.lan ? broker.addresses.map((a) => `${a}:${broker.port}`).join(', ') : undefined) : undefined;
  const request = await workbench.dialogs.open<NewDeviceRequest | null>('New device', (close) => <NewDeviceForm virtualBoard={virtualBoard} existing={existing} brokerAddress={brokerAddress} onAnswer={close} />, null, {
    testId: 'dialog-new-device',
    wide: true,
  });
  if (!request) return;
  await workbench.attempt('Could not set up the device', () => setUpNewDevice(workbench, request, virtualBoard));
}

async function setUpNewDevice(workbench: Workbench, request: NewDeviceRequest, virtualBoard: boolean): Promise<void> {
  const { api } = workbench;
  const info = templateInfo(request.answers.template);
  const reach = request.broker ? await brokerFor(workbench, request.broker, virtualBoard) : undefined;
  const answers: DeviceAnswers = { ...request.answers, ...(reach ? { broker: reach.board } : {}) };
  const index = workbench.packageIndex.get().trim();

  const setup: DeviceSetupDto = await workbench.jobs.run(`Setting up "${info.title}" on the board`, (job) =>
    api.call('device.setup', { answers, ...(index ? { index } : {}), jobId: job.id }, { signal: job.signal, timeoutMs: 0 }),
  );
  workbench.boardFilesVersion.update((v) => v + 1);
  if (info.pinRole === 'LED pin') workbench.board.ledPin.set(answers.pin);

  workbench.terminal.note(`New device: wrote ${setup.written.join(', ')}; resetting so boot.py and main.py run.`, { replacesPrompt: true });
  await api.call('board.softReset', {}, { timeoutMs: DEFAULT_CALL_TIMEOUT_MS });

  if (reach) await watchDevice(workbench, reach.explorerUrl, answers, setup);
  const notes = setup.notes.length ? ` ${setup.notes.join(' ')}` : '';
  workbench.notifications.info(
    `Set up "${info.title}"`,
    `${setup.packages.length ? `Installed ${setup.packages.map((p) => p.name).join(', ')}; ` : ''}wrote ${setup.written.join(', ')} and reset the board.${notes}`,
  );
}

/** Where the board reaches the broker, and where this computer does. */
interface BrokerReach {
  board: NonNullable<DeviceAnswers['broker']>;
  explorerUrl: string;
}

async function brokerFor(workbench: Workbench, choice: BrokerChoice, virtualBoard: boolean): Promise<BrokerReach> {
  if (choice.kind === 'other') {
    const { kind: _kind, ...board } = choice;
    return { board, explorerUrl: `mqtt://${choice.host.includes(':') ? `[${choice.host}]` : choice.host}:${choice.port}` };
  }
  const { api } = workbench;
  let status: BrokerStatusDto = await api.call('broker.status', {});
  // The virtual board runs on this computer; a real one needs the broker on the LAN.
  const needLan = !virtualBoard;
  if (status.running && needLan && !status.lan) status = await api.call('broker.stop', {});
  if (!status.running) status = await api.call('broker.start', { lan: needLan, websocket: false });
  if (!status.running || status.port === undefined) throw new Error(`The broker on this computer did not start${status.error ? `: ${status.error}` : '.'}`);
  const host = virtualBoard ? '127.0.0.1' : status.addresses.find((a) => a !== '127.0.0.1');
  if (!host) throw new Error('This computer has no local network address the board could reach the broker on. Connect to a network, or choose another broker.');
  return { board: { host, port: status.port }, explorerUrl: `mqtt://127.0.0.1:${status.port}` };
}

/** The MQTT view on the broker: a connection watching PREFIX/#, and for the LED template a dashboard switch. */
async function watchDevice(workbench: Workbench, url: string, answers: DeviceAnswers, setup: DeviceSetupDto): Promise<void> {
  const { mqtt } = workbench;
  const filter = `${answers.topicPrefix}/#`;
  let profile = mqtt.profiles.get().find((p) => p.url === url);
  if (!profile) profile = await mqtt.saveProfile({ ...profileForUrl(url), subscriptions: [{ filter, qos: 0 }] });
  const connection = await mqtt.connectProfile(profile.id);
  if (!connection.subscriptions.some((s) => s.filter === filter || s.filter === '#')) {
    await workbench.api.call('mqtt.subscribe', { connectionId: connection.id, subscription: { filter, qos: 0 } });
  }
  const { command, state } = setup.topics;
  if (command && state) {
    const current = mqtt.profiles.get().find((p) => p.id === profile.id) ?? profile;
    if (!current.dashboard.some((w) => w.kind === 'switch' && w.stateTopic === state)) {
      const widget: WidgetDto = { id: `led-${Date.now().toString(36)}`, kind: 'switch', title: `LED (${command})`, stateTopic: state, commandTopic: command, onPayload: '1', offPayload: '0', qos: 0, retain: false };
      const saved = await workbench.api.call('mqtt.saveDashboard', { profileId: current.id, widgets: [...current.dashboard, widget] });
      mqtt.putProfile(saved);
    }
  }
  await workbench.commands.execute(WorkbenchCommands.selectView, { view: 'mqtt' });
  if (command && state) {
    mqtt.panelTab.set('Dashboard');
    workbench.layout.showPanelTab('mqtt');
  }
}
