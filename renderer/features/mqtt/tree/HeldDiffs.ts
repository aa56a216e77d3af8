/**
 * Diffs that arrived while the explorer was paused, merged: the newest
 * summary per topic, so a paused flood holds one entry per topic, not one
 * per message.
 */
import type { TopicSummaryDto } from '../../../../electron/common/api/contract.js';
import type { TreeDiff } from './TopicTree.js';

export class HeldDiffs {
  private reset = false;
  private readonly changed = new Map<string, TopicSummaryDto>();
  private readonly removed = new Set<string>();

  add(diff: TreeDiff): void {
    if (diff.reset) {
      this.reset = true;
      this.changed.clear();
      this.removed.clear();
    }
    for (const topic of diff.removed) {
      this.changed.delete(topic);
      this.removed.add(topic);
    }
    for (const summary of diff.changed) {
      this.removed.delete(summary.topic);
      this.changed.set(summary.topic, summary);
    }
  }

  /** Topics that changed meanwhile (shown on the Resume button). */
  get size(): number {
    return this.changed.size + this.removed.size;
  }

  /** Everything held, as one diff; nothing is held after. */
  take(): TreeDiff {
    const diff = { changed: [...this.changed.values()], removed: [...this.removed], reset: this.reset };
    this.reset = false;
    this.changed.clear();
    this.removed.clear();
    return diff;
  }
}
