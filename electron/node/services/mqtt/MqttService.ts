/**
 * The explorer's side of the main process: saved profiles (their secrets
 * opened only here), and the open connections with their topic models,
 * which MqttSessions holds (in the MQTT thread in the app). Events:
 * `mqtt.connection` when a connection's state changes, `mqtt.topics` with
 * each model's batched diffs.
 */
import path from 'node:path';
import type { EventHub } from '../../../common/api/EventHub.js';
import type { HandlersFor } from '../../../common/api/dispatcher.js';
import type { mqttCalls } from '../../../common/api/domains/mqtt.js';
import { recordingFileName } from './CsvRecorder.js';
import type { MqttConnectionOptions } from './MqttConnection.js';
import type { MqttProfileStore } from './MqttProfileStore.js';
import { MqttSessions, SESSION_API_CALLS, type MqttSessionCalls, type SessionApiCall, type SessionEvent, type SessionTimings } from './MqttSessions.js';
import { MqttThread } from './MqttThread.js';

export interface MqttServiceOptions {
  events: EventHub;
  profiles: MqttProfileStore;
  /** Where a recording goes when no path is given: the project folder, else ~/Pinwheel recordings. */
  recordingsDir: () => string;
  /**
   * Tests shorten the backoff and the diff interval. A `connect` (client
   * factory) keeps the connections in this thread, where it can be called.
   */
  connection?: SessionTimings & Pick<MqttConnectionOptions, 'connect'>;
}

export class MqttService {
  private readonly sessions: MqttSessionCalls;
  private readonly thread: MqttThread | undefined;

  constructor(private readonly options: MqttServiceOptions) {
    const onEvent = (event: SessionEvent) => this.onSessionEvent(event);
    const { connect, ...timings } = options.connection ?? {};
    if (connect) {
      this.sessions = new MqttSessions(onEvent, { connect, ...timings }).calls;
    } else {
      this.thread = new MqttThread(onEvent, timings);
      this.sessions = this.thread.calls;
    }
  }

  private get profiles(): MqttProfileStore {
    return this.options.profiles;
  }

  private onSessionEvent(event: SessionEvent): void {
    const { events } = this.options;
    switch (event.kind) {
      case 'connection':
        events.emit('mqtt.connection', { ...event.dto, closed: event.closed });
        break;
      case 'topics':
        events.emit('mqtt.topics', { connectionId: event.connectionId, diff: event.diff });
        break;
      case 'subscriptions':
        void this.profiles.setSubscriptions(event.profileId, event.subscriptions).catch(() => undefined);
        break;
    }
  }

  handlers(): HandlersFor<typeof mqttCalls> {
    const { sessions } = this;
    // The calls about open connections go to the sessions as they are.
    const forwarded = {} as Pick<MqttSessionCalls, SessionApiCall>;
    for (const name of SESSION_API_CALLS) (forwarded as Record<string, unknown>)[name] = sessions[name];
    return {
      ...forwarded,
      'mqtt.profiles': async () => ({ profiles: this.profiles.list(), secretsStorage: this.profiles.secretsStorage }),
      'mqtt.saveProfile': (input) => this.profiles.save(input),
      'mqtt.deleteProfile': async ({ profileId }) => {
        await sessions['sessions.closeProfile']({ profileId });
        await this.profiles.delete(profileId);
        return {};
      },
      'mqtt.connect': async ({ profileId }) => sessions['sessions.connect']({ profile: await this.profiles.opened(profileId), limits: this.profiles.limits() }),
      'mqtt.saveDashboard': ({ profileId, widgets }) => this.profiles.setDashboard(profileId, widgets),
      'mqtt.record': ({ connectionId, filter, path: file }) =>
        sessions['sessions.record']({ connectionId, filter, path: file ?? path.join(this.options.recordingsDir(), recordingFileName(filter)) }),
      'mqtt.limits': async () => this.profiles.limits(),
      'mqtt.setLimits': async (limits) => {
        await this.profiles.setLimits(limits);
        await sessions['sessions.setLimits'](this.profiles.limits());
        return this.profiles.limits();
      },
    };
  }

  async dispose(): Promise<void> {
    if (this.thread) await this.thread.dispose();
    else await this.sessions['sessions.dispose']({});
    await this.profiles.flush();
  }
}
