/**
 * The dependency rules of the architecture (docs/architecture.md), checked on
 * every run: common imports only common (and zod), and the engine in common
 * knows nothing of the API; node code imports common and node, never a host;
 * the hosts and the CLI compose node services and never import each other;
 * the renderer imports only common; only main.ts and preload.ts import
 * electron; and every module under electron/ is used by the app (test doubles
 * live under test/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !/\.d\.m?ts$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

function resolvesInto(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
}

describe('layering', () => {
  it('electron/common imports nothing outside electron/common except zod', () => {
    const bad: string[] = [];
    for (const file of sourceFiles('electron/common')) {
      for (const spec of importsOf(file)) {
        const target = resolvesInto(file, spec);
        if (target === undefined ? spec !== 'zod' : !target.startsWith('electron/common')) bad.push(`${file} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('only electron/main.ts and electron/preload.ts import electron (electron/desktop/ its types only, so it runs in tests)', () => {
    const bad: string[] = [];
    for (const file of [...sourceFiles('electron'), ...sourceFiles('renderer')]) {
      if (file === 'electron/main.ts' || file === 'electron/preload.ts') continue;
      if (file.startsWith(path.join('electron', 'desktop') + path.sep)) {
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        if (/(?:^|\n)\s*import\s+(?!type\b)[^'"]*from\s*['"]electron['"]/.test(text)) bad.push(`${file} (a value import)`);
        continue;
      }
      if (importsOf(file).some((s) => s === 'electron' || s.startsWith('electron/'))) bad.push(file);
    }
    expect(bad).toEqual([]);
  });

  it('the renderer imports no Node module and nothing from electron/ but common', () => {
    const bad: string[] = [];
    // vite.config.ts is build tooling that runs in Node, not part of the page.
    for (const file of sourceFiles('renderer').filter((f) => f !== 'renderer/vite.config.ts')) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'serialport', 'ws'].includes(spec)) bad.push(`${file} -> ${spec}`);
        const target = resolvesInto(file, spec);
        if (target?.startsWith('electron/') && !target.startsWith('electron/common/')) bad.push(`${file} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('nothing outside renderer/ imports the renderer', () => {
    const bad: string[] = [];
    for (const file of sourceFiles('electron')) {
      for (const spec of importsOf(file)) {
        if (resolvesInto(file, spec)?.startsWith('renderer')) bad.push(`${file} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the engine and the other pure parts of common know nothing of the API', () => {
    const bad: string[] = [];
    for (const dir of ['electron/common/board', 'electron/common/link', 'electron/common/util', 'electron/common/workspace']) {
      for (const file of sourceFiles(dir)) {
        for (const spec of importsOf(file)) if (resolvesInto(file, spec)?.startsWith('electron/common/api')) bad.push(`${file} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('node code imports common and node only, never a host, the CLI or the Electron entry points', () => {
    const bad: string[] = [];
    for (const file of sourceFiles('electron/node')) {
      for (const spec of importsOf(file)) {
        const target = resolvesInto(file, spec);
        if (target !== undefined && !target.startsWith('electron/common/') && !target.startsWith('electron/node/')) bad.push(`${file} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the web host and the CLI compose common and node, and never import each other', () => {
    const bad: string[] = [];
    for (const [dir, other] of [
      ['electron/host', 'electron/cli'],
      ['electron/cli', 'electron/host'],
    ] as const) {
      for (const file of sourceFiles(dir)) {
        for (const spec of importsOf(file)) {
          const target = resolvesInto(file, spec);
          if (target?.startsWith(other) || target === 'electron/main.js' || target === 'electron/preload.js') bad.push(`${file} -> ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('every module under electron/ is imported by the app or is an entry point (no test-only code ships)', () => {
    const ENTRY_POINTS = new Set(['electron/main.ts', 'electron/preload.ts', 'electron/host/main.ts', 'electron/cli/main.ts', 'electron/node/flash/flasherEntry.ts']);
    const files = sourceFiles('electron');
    const imported = new Set<string>();
    for (const file of [...files, ...sourceFiles('renderer')]) {
      for (const spec of importsOf(file)) {
        const target = resolvesInto(file, spec);
        if (target) imported.add(target.replace(/\.js$/, '.ts'));
      }
      // Worker entries are started by URL (new URL('./x.js', import.meta.url)), not imported.
      for (const m of readFileSync(path.join(ROOT, file), 'utf8').matchAll(/new URL\(\s*['"](\.[^'"]+)\.js['"]/g)) {
        imported.add(path.relative(ROOT, path.resolve(ROOT, path.dirname(file), m[1]!)) + '.ts');
      }
    }
    const unused = files.filter((f) => !ENTRY_POINTS.has(f) && !imported.has(f));
    expect(unused).toEqual([]);
  });
});
