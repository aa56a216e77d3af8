/**
 * What a new MQTT connection starts with when a person only typed a URL:
 * MQTT 3.1.1, a client id generated per connection, a 60 s keepalive, a clean
 * start, and `#` watched (`$SYS` stays opt-in). The renderer makes profiles
 * from it; tests start from it too.
 */
import type { MqttProfileInput } from '../api/domains/mqtt.js';

/** "localhost:1883" for mqtt://localhost:1883 (credentials and path left out). */
export function nameForUrl(url: string): string {
  const rest = url.trim().replace(/^[a-z]+:\/\//i, '').replace(/^[^@/]*@/, '');
  return rest.split('/')[0] || url.trim();
}

export function profileForUrl(url: string): MqttProfileInput {
  return {
    name: nameForUrl(url),
    url: url.trim(),
    protocolVersion: 4,
    clientId: '',
    username: '',
    tls: { ca: '', clientCert: '', verify: true },
    keepaliveSeconds: 60,
    cleanStart: true,
    sessionExpirySeconds: 0,
    will: null,
    subscriptions: [{ filter: '#', qos: 0 }],
  };
}
