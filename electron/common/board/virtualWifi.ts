/**
 * The Wi-Fi networks the virtual board "sees" (its network module, in
 * electron/node/vboard/prelude/network.ts). Joining the first with its
 * password puts the board on this computer's network (its sockets go out
 * through the host); the second is a neighbour whose password nobody has,
 * so a wrong password is easy to try. The board card shows the first.
 */
export interface VirtualWifiNetwork {
  ssid: string;
  /** '' for an open network. */
  password: string;
  /** dBm, as scan() and status('rssi') report it. */
  rssi: number;
  /** network.AUTH_* (3: WPA2-PSK, 0: open). */
  authmode: number;
  channel: number;
  /** Six bytes, as scan() reports the access point's MAC. */
  bssid: readonly number[];
}

export const VIRTUAL_WIFI: readonly VirtualWifiNetwork[] = [
  { ssid: 'Pinwheel', password: 'micropython', rssi: -48, authmode: 3, channel: 6, bssid: [0x02, 0x50, 0x57, 0x00, 0x00, 0x01] },
  { ssid: 'Neighbour-2G', password: 'not-yours-9f3a', rssi: -81, authmode: 3, channel: 11, bssid: [0x02, 0x50, 0x57, 0x00, 0x00, 0x02] },
];
