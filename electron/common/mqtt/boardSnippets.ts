/**
 * What a board needs to reach a broker, ready to paste: a `config.json` for
 * the board's filesystem and the umqtt.simple lines that connect with it.
 * Shared by the broker panel and `pinwheel broker`.
 */

export interface BrokerAddress {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** Python string literal: the values are the user's, so they are quoted, never pasted raw. */
function pyString(text: string): string {
  return JSON.stringify(text);
}

export function brokerConfigJson(address: BrokerAddress): string {
  const mqtt: Record<string, string | number> = { broker: address.host, port: address.port };
  if (address.username !== undefined) mqtt.user = address.username;
  if (address.password !== undefined) mqtt.password = address.password;
  return JSON.stringify({ mqtt }, null, 2);
}

export function umqttSnippet(address: BrokerAddress, clientId = 'board-1'): string {
  const credentials = address.username !== undefined ? `, user=${pyString(address.username)}, password=${pyString(address.password ?? '')}` : '';
  return [
    'from umqtt.simple import MQTTClient',
    `client = MQTTClient(${pyString(clientId)}, ${pyString(address.host)}, port=${address.port}${credentials})`,
    'client.connect()',
    'client.publish(b"sensors/temperature", b"21.5")',
  ].join('\n');
}
