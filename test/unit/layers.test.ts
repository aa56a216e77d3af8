/**
 * The dependency rules of the architecture, checked on every run:
 * common imports only common (and zod); node code never imports the renderer;
 * the renderer imports only the API contract and pure helpers from common;
 * only main.ts and preload.ts import electron.
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
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
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

  it('only electron/main.ts and electron/preload.ts import electron', () => {
    const bad: string[] = [];
    for (const file of [...sourceFiles('electron'), ...sourceFiles('renderer')]) {
      if (file === 'electron/main.ts' || file === 'electron/preload.ts') continue;
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
});
