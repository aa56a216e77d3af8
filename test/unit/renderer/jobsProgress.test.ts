// A job's card shows the bytes, the rate over the current step and the time left, from the host's progress events.
import { describe, expect, it } from 'vitest';
import { Jobs } from '../../../renderer/shared/jobs/Jobs.js';
import { formatDuration, transferText } from '../../../renderer/shared/util/format.js';

type Listener = (payload: { jobId: string; label: string; done: number; total: number }) => void;

function setUp() {
  let listener: Listener | undefined;
  let now = 1_000_000;
  const api = { on: (_name: string, l: Listener) => ((listener = l), { dispose() {} }) } as unknown as ConstructorParameters<typeof Jobs>[0];
  const jobs = new Jobs(api, () => now);
  const job = jobs.start('Flashing');
  const view = () => jobs['all'].get(job.id)!.view;
  return {
    progress: (label: string, done: number, total: number, atMs: number) => {
      now = 1_000_000 + atMs;
      listener!({ jobId: job.id, label, done, total });
    },
    view,
  };
}

describe('job progress from the host', () => {
  it('measures the rate over the current step once it has run a moment, and the time left from it', () => {
    const { progress, view } = setUp();
    progress('Writing at 0x1000', 0, 1_000_000, 0);
    progress('Writing at 0x1000', 40_000, 1_000_000, 200);
    expect(view()).toMatchObject({ bytes: true, done: 40_000, bytesPerSecond: undefined, etaSeconds: undefined });
    progress('Writing at 0x1000', 100_000, 1_000_000, 1000);
    expect(view().bytesPerSecond).toBeCloseTo(100_000, 5);
    expect(view().etaSeconds).toBeCloseTo(9, 5);
    expect(transferText(view())).toBe('97.7 KB of 977 KB · 97.7 KB/s · 9 s left');
  });

  it('starts a new window at a new step, so a download does not skew the write', () => {
    const { progress, view } = setUp();
    progress('Downloading', 0, 10_000_000, 0);
    progress('Downloading', 10_000_000, 10_000_000, 1000);
    progress('Writing at 0x1000', 0, 500_000, 1100);
    expect(view()).toMatchObject({ bytesPerSecond: undefined, etaSeconds: undefined });
    progress('Writing at 0x1000', 50_000, 500_000, 2100);
    expect(view().bytesPerSecond).toBeCloseTo(50_000, 5);
  });

  it('says durations as a countdown', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(59.1)).toBe('1 min');
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(transferText({ done: 0, total: 0 })).toBeNull();
  });
});
