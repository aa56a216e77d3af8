// The desktop menu's commands in the page: each runs the page's own command, and "Save all" on
// closing closes the window only when every buffer was saved.
import { describe, expect, it } from 'vitest';
import { runDesktopCommand } from '../../../renderer/app/desktopCommands.js';

function workbench(saved: boolean) {
  const executed: string[] = [];
  const fake = { execute: async (command: string) => (executed.push(command), saved) } as unknown as Parameters<typeof runDesktopCommand>[0];
  return { fake, executed };
}

describe('runDesktopCommand', () => {
  it('closes the window after "Save all" only when everything was saved', async () => {
    for (const saved of [true, false]) {
      const { fake, executed } = workbench(saved);
      let closed = false;
      await runDesktopCommand(fake, 'saveAllAndClose', () => (closed = true));
      expect(executed).toEqual(['editor.saveAll']);
      expect(closed).toBe(saved);
    }
  });

  it("runs the page's commands for the menu", async () => {
    const { fake, executed } = workbench(true);
    for (const command of ['save', 'run', 'stop', 'softReset', 'newDevice', 'showMqtt'] as const) await runDesktopCommand(fake, command, () => undefined);
    expect(executed).toEqual(['editor.save', 'editor.run', 'editor.stop', 'boards.softReset', 'boards.newDevice', 'layout.selectView']);
  });
});
