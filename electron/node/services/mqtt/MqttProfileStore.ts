/**
 * Saved MQTT connections in `<userData>/mqtt/profiles.json` (mode 0600): the
 * profile as the UI edits it, with the password and TLS client key sealed by
 * a SecretBox, never in clear text. The renderer gets profiles without the
 * secrets (`hasPassword`, `hasClientKey`); only a connection opens them.
 */
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../../common/api/errors.js';
import { MqttProfileDto, MqttProfileInput, ModelLimitsDto } from '../../../common/api/domains/mqtt.js';
import type { SecretBox } from '../../mqtt/SecretBox.js';
import { readJsonOrMoveAside } from '../SettingsStore.js';
import { SerialFileWriter } from '../writeFileAtomic.js';

export const DEFAULT_HISTORY_LENGTH = 1000;
export const DEFAULT_MEMORY_CAP_BYTES = 256 * 1024 * 1024;

const StoredProfile = MqttProfileDto.omit({ hasPassword: true, tls: true }).extend({
  sealedPassword: z.string().optional(),
  tls: z.object({ ca: z.string(), clientCert: z.string(), sealedClientKey: z.string().optional(), verify: z.boolean() }),
});
type StoredProfile = z.infer<typeof StoredProfile>;

const StoredFile = z.object({
  profiles: z.array(StoredProfile),
  limits: ModelLimitsDto.optional(),
});
type StoredFile = z.infer<typeof StoredFile>;

/** A profile with its secrets opened, for the connection that uses it. */
export interface OpenedProfile extends MqttProfileDto {
  password?: string;
  clientKey?: string;
}

export class MqttProfileStore {
  private data: StoredFile = { profiles: [] };
  private readonly writer: SerialFileWriter;

  private constructor(
    readonly file: string,
    private readonly secrets: SecretBox,
  ) {
    this.writer = new SerialFileWriter(file);
  }

  static async open(dataDir: string, secrets: SecretBox): Promise<MqttProfileStore> {
    const store = new MqttProfileStore(path.join(dataDir, 'mqtt', 'profiles.json'), secrets);
    store.data = (await readJsonOrMoveAside(store.file, StoredFile)) ?? { profiles: [] };
    return store;
  }

  get secretsStorage(): string {
    return this.secrets.description;
  }

  list(): MqttProfileDto[] {
    return this.data.profiles.map(toDto);
  }

  get(id: string): MqttProfileDto {
    return toDto(this.stored(id));
  }

  private stored(id: string): StoredProfile {
    const found = this.data.profiles.find((p) => p.id === id);
    if (!found) throw new ApiError('NOT_FOUND', `No saved MQTT connection has the id ${id}.`);
    return found;
  }

  async save(input: z.output<typeof MqttProfileInput>): Promise<MqttProfileDto> {
    const previous = input.id ? this.data.profiles.find((p) => p.id === input.id) : undefined;
    const { password, tls, id, dashboard, ...rest } = input;
    const { clientKey, ...tlsRest } = tls;
    const next: StoredProfile = {
      ...rest,
      dashboard: dashboard ?? previous?.dashboard ?? [],
      id: previous?.id ?? id ?? newProfileId(),
      tls: { ...tlsRest, ...(await this.sealField(clientKey, previous?.tls.sealedClientKey, 'sealedClientKey')) },
      ...(await this.sealField(password, previous?.sealedPassword, 'sealedPassword')),
    };
    this.data = { ...this.data, profiles: previous ? this.data.profiles.map((p) => (p === previous ? next : p)) : [...this.data.profiles, next] };
    await this.write();
    return toDto(next);
  }

  /** undefined keeps what was sealed before, null or '' removes it, a string is sealed. */
  private async sealField<K extends string>(value: string | null | undefined, previous: string | undefined, key: K): Promise<Partial<Record<K, string>>> {
    if (value === undefined) return previous === undefined ? {} : ({ [key]: previous } as Record<K, string>);
    if (value === null || value === '') return {};
    return { [key]: await this.secrets.seal(value) } as Record<K, string>;
  }

  /** Remembers a connection's subscriptions as they change, so the next connect makes them again. */
  async setSubscriptions(id: string, subscriptions: MqttProfileDto['subscriptions']): Promise<void> {
    const profile = this.stored(id);
    profile.subscriptions = subscriptions;
    await this.write();
  }

  async setDashboard(id: string, widgets: MqttProfileDto['dashboard']): Promise<MqttProfileDto> {
    const profile = this.stored(id);
    profile.dashboard = widgets;
    await this.write();
    return toDto(profile);
  }

  async delete(id: string): Promise<void> {
    this.stored(id);
    this.data = { ...this.data, profiles: this.data.profiles.filter((p) => p.id !== id) };
    await this.write();
  }

  /** The profile with its secrets in clear, for connecting. A secret that cannot be opened fails with a plain reason. */
  async opened(id: string): Promise<OpenedProfile> {
    const stored = this.stored(id);
    const open = async (sealed: string | undefined, what: string) => {
      if (sealed === undefined) return undefined;
      try {
        return await this.secrets.open(sealed);
      } catch {
        throw new ApiError('PERMISSION', `The saved ${what} of "${stored.name}" cannot be decrypted here (saved on another computer, or its key is gone). Type it again in the connection's settings.`);
      }
    };
    const password = await open(stored.sealedPassword, 'password');
    const clientKey = await open(stored.tls.sealedClientKey, 'TLS client key');
    return { ...toDto(stored), ...(password !== undefined ? { password } : {}), ...(clientKey !== undefined ? { clientKey } : {}) };
  }

  limits(): z.infer<typeof ModelLimitsDto> {
    return this.data.limits ?? { historyLength: DEFAULT_HISTORY_LENGTH, memoryCapBytes: DEFAULT_MEMORY_CAP_BYTES };
  }

  async setLimits(limits: z.infer<typeof ModelLimitsDto>): Promise<void> {
    this.data = { ...this.data, limits };
    await this.write();
  }

  private write(): Promise<void> {
    return this.writer.write(JSON.stringify(this.data, null, 2) + '\n');
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}

function toDto(stored: StoredProfile): MqttProfileDto {
  const { sealedPassword, tls, ...rest } = stored;
  const { sealedClientKey, ...tlsRest } = tls;
  return { ...rest, hasPassword: sealedPassword !== undefined, tls: { ...tlsRest, hasClientKey: sealedClientKey !== undefined } };
}

function newProfileId(): string {
  return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
