import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cssVariables, darkPalette, lightPalette } from '../../../renderer/shared/theme/palette.js';

const RENDERER = path.resolve(import.meta.dirname, '..', '..', '..', 'renderer');

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
    for (const file of ['shared/theme/base.css', 'shared/theme/workbench.css']) {
      for (const m of readFileSync(path.join(RENDERER, file), 'utf8').matchAll(/var\((--pw-[a-z-]+)\)/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((v) => !defined.has(v))).toEqual([]);
  });
});
