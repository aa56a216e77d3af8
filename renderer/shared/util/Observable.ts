/**
 * A value React can watch with useSyncExternalStore: replaced (never mutated)
 * on every change, so the snapshot identity tells React whether to re-render.
 */
import { useSyncExternalStore } from 'react';

export class Observable<T> {
  private listeners = new Set<() => void>();

  constructor(private current: T) {}

  get = (): T => this.current;

  /** Returns a function that unsubscribes. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(value: T): void {
    if (Object.is(value, this.current)) return;
    this.current = value;
    for (const listener of [...this.listeners]) listener();
  }

  update(fn: (value: T) => T): void {
    this.set(fn(this.current));
  }
}

export function useObservable<T>(observable: Observable<T>): T {
  return useSyncExternalStore(observable.subscribe, observable.get);
}
