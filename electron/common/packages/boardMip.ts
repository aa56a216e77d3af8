/**
 * For a board with its own network: the lines that make the board install
 * packages itself with MicroPython's `mip` (the app's other path fetches on
 * the host). The values are the person's, so they go in as string literals
 * (JSON's escapes are Python's too), never pasted as code.
 */
import { parsePackageSpec } from './packageSpec.js';

export function boardMipCode(specs: readonly string[], index?: string): string {
  // Checked the same way as the host's installs: a typo fails here, not as a traceback on the board.
  for (const spec of specs) parsePackageSpec(spec);
  const indexArg = index ? `, index=${JSON.stringify(index)}` : '';
  return ['import mip', ...specs.map((spec) => `mip.install(${JSON.stringify(spec.trim())}${indexArg})`)].join('\n') + '\n';
}
