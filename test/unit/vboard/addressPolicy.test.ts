import { describe, expect, it } from 'vitest';
import { boardIfconfig, mayConnect } from '../../../electron/node/vboard/net/addressPolicy.js';

describe("where the virtual board's sockets may connect", () => {
  it('reaches this computer and the local network by default, and nothing else', () => {
    for (const local of ['127.0.0.1', '127.3.2.1', '10.0.0.5', '172.16.0.1', '172.31.255.254', '192.168.1.20', '169.254.10.10']) {
      expect(mayConnect(local, 'local'), local).toBe(true);
    }
    for (const outside of ['8.8.8.8', '172.32.0.1', '172.15.255.255', '192.169.0.1', '100.64.0.1', '1.1.1.1']) {
      expect(mayConnect(outside, 'local'), outside).toBe(false);
    }
  });

  it('reaches the internet only when the user allows it, and never a name or an IPv6 address it was not resolved to', () => {
    expect(mayConnect('8.8.8.8', 'internet')).toBe(true);
    expect(mayConnect('example.com', 'internet')).toBe(false);
    expect(mayConnect('::1', 'local')).toBe(false);
  });

  it("reports this computer's address as the board's, with a gateway in its network", () => {
    const [ip, netmask, gateway, dns] = boardIfconfig();
    for (const address of [ip, netmask, gateway, dns]) expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(mayConnect(ip, 'local')).toBe(true);
  });
});
