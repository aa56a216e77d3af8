/** The workbench's own commands: showing and hiding its parts, and answering dialogs. */
import { combineDisposables, type Disposable } from './commands/CommandRegistry.js';
import { FocusRegions } from './focusRegions.js';
import { isViewId } from './views.js';
import type { Workbench } from './Workbench.js';
import { WorkbenchCommands } from './WorkbenchCommands.js';

export function registerWorkbenchCommands(workbench: Workbench): Disposable {
  const { commands, layout, dialogs, terminal } = workbench;
  // Watches focus from the start, so F6 returns to where a part was left.
  const regions = typeof document === 'undefined' ? undefined : new FocusRegions(document);
  return combineDisposables([
    regions ?? { dispose() {} },
    commands.register(WorkbenchCommands.focusNextPart, { title: 'Focus next part', run: () => regions?.cycle(1) }),
    commands.register(WorkbenchCommands.focusPreviousPart, { title: 'Focus previous part', run: () => regions?.cycle(-1) }),
    commands.register(WorkbenchCommands.selectView, {
      title: 'Show view',
      run: ({ view }) => {
        if (!isViewId(view)) throw new Error(`There is no view "${view}".`);
        layout.selectView(view);
      },
    }),
    commands.register(WorkbenchCommands.toggleSidebar, { title: 'Toggle side bar', run: () => layout.toggleSidebar() }),
    commands.register(WorkbenchCommands.togglePanel, {
      title: 'Toggle terminal panel',
      run: () => {
        // Focus once the panel is laid out again: xterm cannot take focus while hidden.
        if (layout.togglePanel()) requestAnimationFrame(() => terminal.focus());
      },
    }),
    commands.register(WorkbenchCommands.hidePanel, { title: 'Hide panel', run: () => layout.hidePanel() }),
    commands.register(WorkbenchCommands.toggleMaximizedPanel, { title: 'Maximize or restore panel', run: () => layout.toggleMaximizedPanel() }),
    commands.register(WorkbenchCommands.cancelDialog, { title: 'Cancel dialog', run: () => dialogs.cancel() }),
  ]);
}
