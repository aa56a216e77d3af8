/** Connecting to a board, disconnecting, and resetting it. */
import { DEFAULT_CALL_TIMEOUT_MS } from '../../../electron/common/api/client.js';
import { ApiError } from '../../../electron/common/api/errors.js';
import { combineDisposables, type Disposable } from '../../app/commands/CommandRegistry.js';
import type { Workbench } from '../../app/Workbench.js';
import { BoardCommands } from './BoardCommands.js';
import { runNewDeviceWizard } from './newDevice/setUpNewDevice.js';

/** Connecting probes the board (and may boot the virtual one); give it longer than an ordinary call. */
export const CONNECT_TIMEOUT_MS = 60_000;

export function registerBoardCommands(workbench: Workbench): Disposable {
  const { api, commands, terminal } = workbench;
  return combineDisposables([
    commands.register(BoardCommands.connect, {
      title: 'Connect to a board',
      run: async ({ port }) => {
        const path = typeof port === 'string' ? port : port.path;
        const name = typeof port === 'string' ? port : port.friendlyName;
        await workbench.attempt(
          `Could not connect to ${name}`,
          () => workbench.jobs.run(`Connecting to ${name}`, (job) => api.call('board.connect', { path }, { signal: job.signal, timeoutMs: CONNECT_TIMEOUT_MS })),
          // A missing port's message already says what to do; the NOT_FOUND advice is about files ("refresh the file list").
          { hint: (err) => (err instanceof ApiError && err.code === 'NOT_FOUND' ? null : undefined) },
        );
      },
    }),
    commands.register(BoardCommands.disconnect, {
      title: 'Disconnect the board',
      run: async () => {
        await workbench.attempt('Could not disconnect the board', () => api.call('board.disconnect', {}));
      },
    }),
    commands.register(BoardCommands.softReset, {
      title: 'Soft reset',
      run: async () => {
        terminal.note('Soft reset: boot.py and main.py run now.', { replacesPrompt: true });
        await workbench.attempt('Could not reset the board', () => api.call('board.softReset', {}, { timeoutMs: DEFAULT_CALL_TIMEOUT_MS }));
      },
    }),
    commands.register(BoardCommands.newDevice, {
      title: 'New device from a template…',
      run: () => runNewDeviceWizard(workbench),
    }),
    commands.register(BoardCommands.hardReset, {
      title: 'Hard reset',
      run: async () => {
        terminal.note('Hard reset.', { replacesPrompt: true });
        await workbench.attempt('Could not reset the board', () => api.call('board.hardReset', {}));
      },
    }),
  ]);
}
