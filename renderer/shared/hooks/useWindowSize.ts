import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

// Encoded as one string so the snapshot is stable between renders (useSyncExternalStore compares with Object.is).
const snapshot = () => `${window.innerWidth}x${window.innerHeight}`;

export function useWindowSize(): { width: number; height: number } {
  const [width, height] = useSyncExternalStore(subscribe, snapshot, () => '1280x800').split('x').map(Number);
  return { width: width ?? 0, height: height ?? 0 };
}
