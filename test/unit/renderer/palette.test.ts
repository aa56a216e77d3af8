import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cssVariables, darkPalette, lightPalette } from '../../../renderer/shared/theme/palette.js';

const RENDERER = path.resolve(import.meta.dirname, '..', '..', '..', 'renderer');

/** Every file under renderer/ whose name ends in `ext`, as paths relative to renderer/. */
function filesEndingIn(ext: RegExp, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(RENDERER, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesEndingIn(ext, rel));
    else if (ext.test(entry.name)) out.push(rel);
  }
  return out;
}

const STYLESHEETS = filesEndingIn(/\.css$/);

describe('palette', () => {
  it('gives light and dark the same set of colours', () => {
    expect(Object.keys(cssVariables(darkPalette)).sort()).toEqual(Object.keys(cssVariables(lightPalette)).sort());
  });

  it('names CSS variables in kebab case', () => {
    const vars = cssVariables(lightPalette);
    expect(vars['--pw-chrome-background']).toBe(lightPalette.chromeBackground);
    expect(vars['--pw-accent-foreground']).toBe(lightPalette.accentForeground);
    expect(Object.keys(vars).some((k) => k.includes('scheme') || k.includes('ansi'))).toBe(false);
  });

  it('defines every --pw-* variable the stylesheets use (a typo would silently render unstyled)', () => {
    const defined = new Set(Object.keys(cssVariables(lightPalette)));
    const used = new Set<string>();
    const undefinedVars: string[] = [];
    for (const file of STYLESHEETS) {
      for (const m of readFileSync(path.join(RENDERER, file), 'utf8').matchAll(/var\((--pw-[a-z-]+)\)/g)) {
        used.add(m[1]!);
        if (!defined.has(m[1]!)) undefinedVars.push(`${file}: ${m[1]}`);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    expect(undefinedVars).toEqual([]);
  });

  it('finds the stylesheets of the workbench, the features and the shared parts', () => {
    for (const folder of ['app', 'features', 'shared']) expect(STYLESHEETS.some((f) => f.startsWith(`${folder}${path.sep}`))).toBe(true);
    expect(STYLESHEETS).toContain(path.join('shared', 'theme', 'base.css'));
    expect(STYLESHEETS.length).toBeGreaterThan(10);
  });

  it('every stylesheet is imported by some module (an orphan would silently not apply)', () => {
    const imported = new Set<string>();
    for (const file of filesEndingIn(/\.tsx?$/)) {
      for (const m of readFileSync(path.join(RENDERER, file), 'utf8').matchAll(/^import '(\.[^']+\.css)';$/gm)) {
        imported.add(path.join(path.dirname(file), m[1]!));
      }
    }
    expect(STYLESHEETS.filter((f) => !imported.has(f))).toEqual([]);
  });
});
