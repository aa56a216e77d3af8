/**
 * What each feature adds to the workbench at start (its commands, editor
 * services), in one list. Adding a feature means adding a row here; the
 * feature's own folder holds the rest.
 */
import { registerBoardCommands } from '../features/boards/registerBoardCommands.js';
import { registerBoardCompletions } from '../features/editor/boardCompletions.js';
import { registerEditorCommands } from '../features/editor/registerEditorCommands.js';
import { registerFileCommands } from '../features/files/registerFileCommands.js';
import { registerTerminalCommands } from '../features/terminal/registerTerminalCommands.js';
import { combineDisposables, type Disposable } from './commands/CommandRegistry.js';
import { registerDesktopCommands } from './registerDesktopCommands.js';
import { registerWorkbenchCommands } from './registerWorkbenchCommands.js';
import type { Workbench } from './Workbench.js';

export type Contribution = (workbench: Workbench) => Disposable;

export const CONTRIBUTIONS: readonly Contribution[] = [
  registerWorkbenchCommands,
  registerEditorCommands,
  registerBoardCompletions,
  registerBoardCommands,
  registerFileCommands,
  registerTerminalCommands,
  registerDesktopCommands,
];

export function installContributions(workbench: Workbench, contributions: readonly Contribution[] = CONTRIBUTIONS): Disposable {
  return combineDisposables(contributions.map((contribute) => contribute(workbench)));
}
