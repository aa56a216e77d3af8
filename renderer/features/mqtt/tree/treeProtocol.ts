/**
 * What the window and the topic-tree worker say to each other. The worker
 * keeps every connection's tree (built from the host's diffs); the window
 * keeps none: it names the rows it shows (the viewport) and the topics it
 * reads (the selection, dashboard widgets), and the worker answers with
 * frames holding just those, at most ten a second.
 *
 * Why a worker: with the whole tree in the page, the flood benchmark's long
 * tasks were the page's own collections of it (a 32 ms major GC stretched
 * past 100 ms while the 2 cores were saturated). Without it the page's heap
 * holds a screenful of rows, and the flood showed no task over 50 ms.
 */
import type { MemoryUseDto, TopicSummaryDto } from '../../../../electron/common/api/contract.js';

export interface ModelStats {
  memory: MemoryUseDto;
  topicCount: number;
  messageCount: number;
}

/** The rows the window shows: `count` from index `first` of the connection's rows (under `filter`). */
export interface TreeViewport {
  connectionId: string | null;
  filter: string;
  first: number;
  count: number;
}

/** One shown level of the tree (see TopicRow), copied out of the worker's live nodes. */
export interface TreeRowDto {
  path: string;
  name: string;
  depth: number;
  expanded: boolean;
  hasChildren: boolean;
  /** Messages on this topic and every topic below it. */
  messages: number;
  /** Topics at or below this level. */
  topics: number;
  /** msg/s at or below this level. */
  rate: number;
  /** Set when messages arrived on exactly this topic. */
  summary?: TopicSummaryDto;
  /** When filtering: the matched part of `path` (end exclusive). */
  match?: { start: number; end: number };
}

/** A topic the window reads outside the viewport (the selected one, a widget's). */
export interface WatchedTopic {
  connectionId: string;
  topic: string;
}

export interface WatchedState extends WatchedTopic {
  /** undefined when no message arrived on exactly this topic. */
  summary?: TopicSummaryDto;
  hasChildren: boolean;
}

export interface TreeFrame {
  /** The viewport these rows answer (the window may have moved on since). */
  viewport: TreeViewport;
  /** All rows of the viewport's connection under its filter. */
  rowCount: number;
  /** Rows `viewport.first` to `viewport.first + rows.length - 1`. */
  rows: TreeRowDto[];
  watched: WatchedState[];
  /** The viewport connection's model figures, from the newest diff. */
  stats: ModelStats | null;
  /** Topic changes held back while paused, for the viewport connection. */
  heldCount: number;
  /** Counts frames: a command's answer says which frame first shows it. */
  seq: number;
}

export type TreeQuery = { rowAt: number } | { indexOf: string };

/** Window -> worker. */
export type ToTreeWorker =
  /** A host block (`mqtt.topics` snapshot or diff): a snapshot replaces the tree. */
  | { kind: 'snapshot' | 'diff'; connectionId: string; bytes: Uint8Array }
  | { kind: 'forget'; connectionId: string }
  | { kind: 'paused'; paused: boolean }
  | { kind: 'viewport'; viewport: TreeViewport }
  | { kind: 'watch'; topics: WatchedTopic[] }
  /** Answered (kind 'done') once a frame showing the change has been sent. */
  | { kind: 'expand'; id: number; connectionId: string; path: string; expanded: boolean }
  | { kind: 'query'; id: number; connectionId: string; filter: string; query: TreeQuery };

/** Worker -> window. */
export type FromTreeWorker =
  | { kind: 'frame'; frame: TreeFrame }
  | { kind: 'done'; id: number }
  /** rowAt: the row, or none past the end; indexOf: the row's index, or -1 when it is not shown. */
  | { kind: 'answer'; id: number; row?: TreeRowDto; index?: number }
  /** A host block that could not be read: the tree kept what it had. */
  | { kind: 'problem'; message: string };

/** Either end of the channel: a Worker, the worker's own scope, or an in-process pair in tests. */
export interface TreePort<Out, In> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}
