// electron-builder's configuration, checked as far as it goes without an Electron binary (which
// `electron-builder --dir` would download): its own schema validation of package.json's "build",
// the folders "files" names exist after `npm run build`, and every runtime dependency is used by
// the code the desktop app runs (the rest would be packed for nothing).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DebugLogger } from 'builder-util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; build: { files: string[]; linux: { extraResources: Array<{ from: string }> } } };

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe("electron-builder's configuration", () => {
  it("passes electron-builder's own schema validation", async () => {
    const config = await getConfig(ROOT, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.productName).toBe('Pinwheel');
  });

  it('names only folders that exist after the build, and resources that exist', () => {
    for (const pattern of pkg.build.files.filter((f) => !f.startsWith('!'))) {
      const base = pattern.split('/**')[0]!;
      expect(existsSync(path.join(ROOT, base)), `${pattern} (run npm run build first)`).toBe(true);
    }
    for (const { from } of pkg.build.linux.extraResources) expect(existsSync(path.join(ROOT, from)), from).toBe(true);
  });

  it("packs only dependencies the desktop app's code imports", () => {
    // The desktop app runs electron/ except the web host and the CLI (left out by "files").
    const shipped = sources('electron').filter((f) => !f.startsWith(path.join('electron', 'host')) && !f.startsWith(path.join('electron', 'cli')));
    const text = shipped.map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    for (const dep of Object.keys(pkg.dependencies)) {
      expect(text.includes(`'${dep}'`) || text.includes(`'${dep}/`), `${dep} is a dependency but nothing the desktop app runs imports it`).toBe(true);
    }
  });
});
