/** `pinwheel ports`: the serial ports, likely MicroPython boards marked. */
import { PortDiscovery } from '../../node/ports/PortDiscovery.js';
import type { CommandBody } from '../commandTable.js';
import { print, printJson } from './output.js';

export const ports: CommandBody = async (ctx) => {
  const discovery = new PortDiscovery();
  try {
    const list = await discovery.list();
    if (ctx.json) return printJson(ctx, list);
    if (list.length === 0) return print(ctx, 'No serial ports found. Plug a board in, or pass a path with --port.');
    for (const p of list) print(ctx, `${p.likelyMicroPython ? '*' : ' '} ${p.path.padEnd(20)} ${p.friendlyName}`);
  } finally {
    discovery.dispose();
  }
};
