import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobProgress, PROGRESS_MIN_INTERVAL_MS } from '../../../electron/node/services/JobProgress.js';

describe('JobProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first report at once, then at most one per interval with the latest numbers', () => {
    const sent: Array<{ done: number; total: number; label: string }> = [];
    const progress = new JobProgress((e) => sent.push(e), 'job', 'Writing /a');
    for (let done = 0; done <= 1000; done += 10) progress.report(done, 1000);
    expect(sent).toEqual([{ jobId: 'job', label: 'Writing /a', done: 0, total: 1000 }]);
    vi.advanceTimersByTime(PROGRESS_MIN_INTERVAL_MS);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ done: 1000 });
  });

  it('always sends the final state, even right after another report', () => {
    const sent: Array<{ done: number }> = [];
    const progress = new JobProgress((e) => sent.push(e), 'job', 'x');
    progress.report(1, 10);
    progress.report(5, 10);
    progress.finish(10, 10);
    expect(sent.map((e) => e.done)).toEqual([1, 10]);
    progress.report(11, 10);
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
  });

  it('is silent without a job id', () => {
    const sink = vi.fn();
    const progress = new JobProgress(sink, undefined, 'x');
    progress.report(1, 2);
    progress.finish(2, 2);
    vi.advanceTimersByTime(1000);
    expect(sink).not.toHaveBeenCalled();
  });
});
