/**
 * Where the virtual board may connect. Its program is code the user runs,
 * often copied from elsewhere; by default it reaches this computer and the
 * local network (brokers, a Raspberry Pi, a phone's app) and nothing on the
 * internet, unless the user allows that.
 */
import net from 'node:net';
import os from 'node:os';

export type NetworkReach = 'local' | 'internet';

/** IPv4 ranges that stay on this computer or the local network. */
const LOCAL_V4: Array<[base: string, bits: number]> = [
  ['127.0.0.0', 8], // loopback
  ['10.0.0.0', 8], // private
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16], // link-local
];

function v4ToInt(address: string): number {
  return address.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

function inRange(address: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (v4ToInt(address) & mask) === (v4ToInt(base) & mask);
}

/** This computer's own IPv4 addresses (a public one on a server counts as this computer). */
function ownAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .flatMap((i) => (i && i.family === 'IPv4' ? [i.address] : []));
}

/** Whether a resolved IPv4 address is one the board may connect to. */
export function mayConnect(address: string, reach: NetworkReach): boolean {
  if (!net.isIPv4(address)) return false;
  if (reach === 'internet') return true;
  return LOCAL_V4.some(([base, bits]) => inRange(address, base, bits)) || ownAddresses().includes(address);
}

/** The board's ifconfig(): this computer's LAN address (the board's traffic leaves from it), else loopback. */
export function boardIfconfig(): [ip: string, netmask: string, gateway: string, dns: string] {
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const i of entries ?? []) {
      if (i.family !== 'IPv4' || i.internal) continue;
      const gateway = i.address.replace(/\.\d+$/, '.1');
      return [i.address, i.netmask, gateway, gateway];
    }
  }
  return ['127.0.0.1', '255.0.0.0', '127.0.0.1', '127.0.0.1'];
}
