import { useEffect } from 'react';
import { useObservable } from '../../../shared/util/Observable.js';
import type { MqttExplorer } from '../MqttExplorer.js';
import type { WatchedState } from './treeProtocol.js';

/** A topic's state (last summary, whether levels lie below it), following the tree's frames while the caller is mounted. */
export function useTopicState(explorer: MqttExplorer, connectionId: string | null, topic: string | null): WatchedState | undefined {
  useEffect(() => (connectionId === null || topic === null ? undefined : explorer.tree.watch(connectionId, topic)), [explorer, connectionId, topic]);
  useObservable(explorer.tree.frame);
  return connectionId === null || topic === null ? undefined : explorer.tree.watched(connectionId, topic);
}
