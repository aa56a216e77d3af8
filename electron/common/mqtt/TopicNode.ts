/**
 * One topic's state inside TopicStore: its kept messages (a ring-like array
 * with a moving start), its latest message and its rate per whole second.
 */
import type { KeptMessage } from './KeptMessage.js';

/**
 * What a topic's name counts per UTF-16 code unit (the most a JS string
 * holds per unit). A name is counted once per topic, while the topic keeps at
 * least one message: the messages share their node's string.
 */
export const TOPIC_BYTES_PER_CODE_UNIT = 2;
/** The rate is the messages of this many whole seconds before the current one, divided by it. */
export const RATE_WINDOW_SECONDS = 5;
/** The window's seconds and the current, still counting one. */
const RATE_SLOTS = RATE_WINDOW_SECONDS + 1;

const rateSlot = (second: number): number => ((second % RATE_SLOTS) + RATE_SLOTS) % RATE_SLOTS;

/** A topic's state. Internal: summaries and StoredMessages are what leaves the store. */
export class TopicNode {
  /** What the name counts against the cap while the node keeps a message. */
  readonly topicBytes: number;
  /** False once removed or cleared: queue entries naming it are stale. */
  alive = true;
  count = 0;
  /** Kept messages, oldest first, from `head` on; the slots before `head` are spent (an array with a moving start, so dropping the oldest is O(1)). */
  kept: Array<KeptMessage | undefined> = [];
  head = 0;
  /**
   * How many of the oldest kept messages have left the store's main eviction
   * queue (they reached its front while they were the topic's latest). They
   * are always a prefix of `kept`: everything behind them entered the queue later.
   */
  outOfQueue = 0;
  /** The topic's latest message, kept or not: the summary's source. Set by the node's first add(). */
  last!: KeptMessage;
  retained = false;
  /** Messages per whole second, a ring over RATE_SLOTS seconds ending at `rateSecond` (a plain array: a typed one costs ~200 B more per topic). */
  readonly rateCounts: number[] = Array.from({ length: RATE_SLOTS }, () => 0);
  rateSecond = 0;
  /** The rate in the last diff that carried this topic. */
  reportedRate = 0;
  /** In the store's set of topics whose rate may still change without a message. */
  active = false;
  /** Waiting in the store's list for the next diff. */
  dirty = false;

  constructor(
    readonly id: number,
    readonly topic: string,
  ) {
    this.topicBytes = TOPIC_BYTES_PER_CODE_UNIT * topic.length;
  }

  get keptCount(): number {
    return this.kept.length - this.head;
  }

  oldest(): KeptMessage {
    return this.kept[this.head]!;
  }

  newest(): KeptMessage {
    return this.kept[this.kept.length - 1]!;
  }

  dropOldest(): KeptMessage {
    const oldest = this.kept[this.head]!;
    this.kept[this.head] = undefined;
    this.head++;
    if (this.head === this.kept.length) {
      this.kept.length = 0;
      this.head = 0;
    } else if (this.head >= 32 && this.head * 2 >= this.kept.length) {
      // Shifting the live half down once it is no bigger than the spent half keeps this O(1) amortized.
      this.kept.copyWithin(0, this.head);
      this.kept.length -= this.head;
      this.head = 0;
    }
    return oldest;
  }

  /** The index in `kept` of the first message whose seq is at least `seq` (`kept.length` if none). */
  lowerBound(seq: number): number {
    let low = this.head;
    let high = this.kept.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.kept[mid]!.seq < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  find(seq: number): KeptMessage | undefined {
    const message = this.kept[this.lowerBound(seq)];
    return message?.seq === seq ? message : undefined;
  }

  /** Messages per second over the RATE_WINDOW_SECONDS whole seconds before `second`. */
  rateAt(second: number): number {
    let sum = 0;
    for (let s = second - RATE_WINDOW_SECONDS; s < second; s++) {
      if (s <= this.rateSecond && s > this.rateSecond - RATE_SLOTS) sum += this.rateCounts[rateSlot(s)]!;
    }
    return sum / RATE_WINDOW_SECONDS;
  }

  countForRate(second: number): void {
    // A clock that stepped back counts into the current second rather than rewriting the past.
    if (second > this.rateSecond) {
      if (second - this.rateSecond >= RATE_SLOTS) this.rateCounts.fill(0);
      else for (let s = this.rateSecond + 1; s <= second; s++) this.rateCounts[rateSlot(s)] = 0;
      this.rateSecond = second;
    }
    this.rateCounts[rateSlot(this.rateSecond)]!++;
  }
}

