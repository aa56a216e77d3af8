// Start-up stays cheap: what `pinwheel` loads before it knows which command runs
// (main.ts and its static imports) is the command table and Node built-ins only;
// the engine, serialport, zod and the virtual board come in with the commands.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** Static imports that load code at run time (`import type` and `export type` are erased). */
function staticImports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) specs.push((m[1] ?? m[2])!);
  return specs;
}

describe('pinwheel start-up', () => {
  it('loads only the CLI core and Node built-ins before a command is chosen', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of staticImports(file)) {
        if (spec.startsWith('node:')) continue;
        if (!spec.startsWith('.')) packages.add(spec);
        else visit(path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)).replace(/\.js$/, '.ts'));
      }
    };
    visit('electron/cli/main.ts');
    expect([...packages]).toEqual([]);
    expect([...seen].sort()).toEqual(['electron/cli/CommandError.ts', 'electron/cli/chain.ts', 'electron/cli/commandTable.ts', 'electron/cli/main.ts', 'electron/cli/timing.ts', 'electron/common/board/boardProfileNames.ts', 'electron/common/flash/chips.ts']);
  });
});
