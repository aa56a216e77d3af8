let counter = 0;

/** A short id unique within this window, e.g. for tying job.progress events to a call. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}
