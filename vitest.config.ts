import { defineConfig } from 'vitest/config';

// Three projects so a developer can run the fast layer alone (`npm run test:unit`).
// Integration and end-to-end tests drive real processes (virtual boards on
// pseudo-terminals, Chromium), so they run a file at a time, and one project
// after the other (sequence.groupOrder): run side by side on 2 cores, a browser
// test starved the virtual boards' threads and timing checks measured the
// machine's load instead of the board.
const IO_BOUND_INTEGRATION = [
  'test/integration/mqtt/**/*.test.ts',
  'test/integration/cli/mqtt.test.ts',
  'test/integration/cli/broker.test.ts',
  'test/integration/flash/catalogUpdate.test.ts',
  'test/integration/flash/firmwareCache.test.ts',
  'test/integration/flash/uf2Drive.test.ts',
  // The virtual board's network: its waits are Wi-Fi joins and brokers' answers, with no timing measured against the board.
  'test/integration/vboard/network.test.ts',
  // Shell scripts run into a scratch root; electron-builder packing into a temporary folder.
  'test/integration/packaging/**/*.test.ts',
  // Package installs and the new-device path on a virtual board: their waits are downloads, resets and brokers, nothing timed.
  'test/integration/cli/mip.test.ts',
  'test/integration/services/newDevice.test.ts',
  // Transfers and a long print on a virtual board: they assert what arrived and how much memory it took, never how fast.
  'test/integration/cli/files.test.ts',
  'test/integration/cli/oldBoard.test.ts',
  'test/integration/services/longOutput.test.ts',
  // Virtual boards and the CLI checked for what they answer, never for how fast (profile19 only asks that a paced
  // transfer takes at least its wire time, which load cannot break): they run beside the unit tests too.
  'test/integration/cli/chain.test.ts',
  'test/integration/cli/usage.test.ts',
  'test/integration/cli/vboard.test.ts',
  'test/integration/cli/vboardParts.test.ts',
  'test/integration/board/oldBoard.test.ts',
  'test/integration/vboard/profile19.test.ts',
  'test/integration/vboard/sandbox.test.ts',
  'test/integration/vboard/ptyPath.test.ts',
  'test/integration/vboard/parts.test.ts',
  'test/integration/services/virtualBoardProfile.test.ts',
  'test/integration/services/workspace.test.ts',
  'test/integration/services/portLease.test.ts',
];

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: one, on the 2-core machines we test on.
    // Only unit and I/O-bound files run side by side; the other projects take one file at a time.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
          testTimeout: 10_000,
        },
      },
      {
        // Integration tests that only wait on sockets and child processes (brokers, downloads, drives):
        // nothing in them measures time against a board, so they run side by side, and beside the unit tests.
        test: {
          name: 'integration-io',
          include: IO_BOUND_INTEGRATION,
          environment: 'node',
          sequence: { groupOrder: 0 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: IO_BOUND_INTEGRATION,
          environment: 'node',
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 2 },
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
