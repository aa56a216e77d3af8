/** Progress as people read it (sizes and error messages: electron/common/util/format.ts). */

/** "42%" of a job, or null while its total is unknown. */
export function percent(done: number, total: number): number | null {
  if (!(total > 0)) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}
