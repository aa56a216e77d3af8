// What `mip install` means, worked out on the host: package specs read as mip reads them, the
// index layout, dependencies once each (cycles too), and package.json files that try to write
// outside the package's folder refused.
import { describe, expect, it } from 'vitest';
import { planInstall } from '../../../electron/common/packages/installPlan.js';
import { isPackageError } from '../../../electron/common/packages/PackageError.js';
import { parsePackageSpec, rewriteRepoUrl } from '../../../electron/common/packages/packageSpec.js';
import { boardMipCode } from '../../../electron/common/packages/boardMip.js';

const INDEX = 'https://index.test/pi/v2';

function table(docs: Record<string, unknown>) {
  const asked: string[] = [];
  return { asked, fetchJson: async (url: string) => (asked.push(url), docs[url]) };
}

describe('parsePackageSpec', () => {
  it('reads index names, versions, github:/gitlab: addresses and URLs as mip does', () => {
    expect(parsePackageSpec('umqtt.simple')).toEqual({ kind: 'index', name: 'umqtt.simple', version: undefined });
    expect(parsePackageSpec('aioble@0.4.1')).toEqual({ kind: 'index', name: 'aioble', version: '0.4.1' });
    expect(parsePackageSpec('github:org/repo')).toMatchObject({ kind: 'package-json', url: 'https://raw.githubusercontent.com/org/repo/HEAD/package.json' });
    expect(parsePackageSpec('github:org/repo/lib/x.py@v2')).toMatchObject({ kind: 'file', url: 'https://raw.githubusercontent.com/org/repo/v2/lib/x.py' });
    expect(parsePackageSpec('gitlab:org/repo/pkg@main')).toMatchObject({ kind: 'package-json', url: 'https://gitlab.com/org/repo/-/raw/main/pkg/package.json' });
    expect(parsePackageSpec('https://example.com/x/')).toMatchObject({ kind: 'package-json', url: 'https://example.com/x/package.json' });
    expect(parsePackageSpec('https://example.com/x/pkg.json')).toMatchObject({ kind: 'package-json', url: 'https://example.com/x/pkg.json' });
    expect(parsePackageSpec('http://example.com/foo.mpy')).toMatchObject({ kind: 'file', url: 'http://example.com/foo.mpy' });
    expect(rewriteRepoUrl('github:a/b/c/d.py', 'dev')).toBe('https://raw.githubusercontent.com/a/b/dev/c/d.py');
  });

  it('refuses what is none of those, saying why', () => {
    for (const [spec, message] of [
      ['', /empty/],
      ['ftp://x/y.py', /only http\(s\):\/\/, github: and gitlab:/],
      ['github:justorg', /github:ORG\/REPO/],
      ['bad name', /not a package name/],
      ['pkg@1 2', /not a version/],
    ] as const) {
      expect(() => parsePackageSpec(spec), spec).toThrow(message);
    }
  });
});

describe('planInstall', () => {
  it('takes compiled files for the board when the index has them, with each dependency once, even in a cycle', async () => {
    const { fetchJson, asked } = table({
      [`${INDEX}/package/6/a/latest.json`]: { hashes: [['a.mpy', 'aaaa1111']], deps: [['b', '2.0'], ['c', 'latest']], version: '1.0' },
      [`${INDEX}/package/6/b/2.0.json`]: { hashes: [['b/__init__.mpy', 'bbbb2222']], deps: [['a', 'latest']], version: '2.0' },
      [`${INDEX}/package/6/c/latest.json`]: { hashes: [['c.mpy', 'cccc3333']], deps: [['b', '2.0']], version: '0.1' },
    });
    const plan = await planInstall(['a'], { index: INDEX + '/', mpyVersion: '6', fetchJson });
    expect(plan.files).toEqual([
      { dest: 'a.mpy', url: `${INDEX}/file/aa/aaaa1111`, packageName: 'a' },
      { dest: 'b/__init__.mpy', url: `${INDEX}/file/bb/bbbb2222`, packageName: 'b' },
      { dest: 'c.mpy', url: `${INDEX}/file/cc/cccc3333`, packageName: 'c' },
    ]);
    expect(plan.packages.map((p) => [p.name, p.version, p.compiled, p.deps])).toEqual([
      ['a', '1.0', true, ['b', 'c']],
      ['b', '2.0', true, ['a']],
      ['c', '0.1', true, ['b']],
    ]);
    expect(plan.notes).toEqual([]);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('falls back to sources, saying so, and reads package.json files by URL with relative file addresses', async () => {
    const { fetchJson } = table({
      [`${INDEX}/package/py/tool/latest.json`]: { hashes: [['tool.py', 'dddd4444']], deps: [['github:me/helper@v1', 'latest']] },
      'https://raw.githubusercontent.com/me/helper/v1/package.json': { urls: [['helper/__init__.py', 'src/init.py'], ['helper/more.py', 'github:me/helper/src/more.py']] },
    });
    const plan = await planInstall(['tool'], { index: INDEX, mpyVersion: '6', fetchJson });
    expect(plan.notes).toEqual(["tool: the index has no files compiled for this board's .mpy version 6; installing the source (.py) files."]);
    expect(plan.files.map((f) => f.url)).toEqual([
      `${INDEX}/file/dd/dddd4444`,
      'https://raw.githubusercontent.com/me/helper/v1/src/init.py',
      'https://raw.githubusercontent.com/me/helper/v1/src/more.py',
    ]);
  });

  it('refuses a package.json that names files outside the package folder, or that is not in mip format', async () => {
    for (const dest of ['../boot.py', '/main.py', 'a/../../x.py', 'a\\b.py']) {
      const { fetchJson } = table({ [`${INDEX}/package/py/evil/latest.json`]: { hashes: [[dest, 'eeee5555']] } });
      const err = await planInstall(['evil'], { index: INDEX, mpyVersion: undefined, fetchJson }).catch((e: unknown) => e);
      expect(isPackageError(err, 'BAD_PACKAGE'), String(err)).toBe(true);
      expect(String(err)).toContain('outside the package');
    }
    const { fetchJson } = table({ [`${INDEX}/package/py/odd/latest.json`]: { hashes: 'not a list' } });
    await expect(planInstall(['odd'], { index: INDEX, mpyVersion: undefined, fetchJson })).rejects.toThrow(/not in mip's format: hashes/);
  });

  it('refuses two packages that install the same file', async () => {
    const { fetchJson } = table({
      [`${INDEX}/package/py/one/latest.json`]: { hashes: [['shared.py', 'ffff6666']] },
      [`${INDEX}/package/py/two/latest.json`]: { hashes: [['shared.py', 'ffff7777']] },
    });
    await expect(planInstall(['one', 'two'], { index: INDEX, mpyVersion: undefined, fetchJson })).rejects.toThrow('"two" and "one" both install shared.py');
  });
});

describe('boardMipCode', () => {
  it("asks the board's own mip for each package, values as string literals", () => {
    expect(boardMipCode(['umqtt.simple', 'github:me/x@v1'], 'https://mirror.test/pi')).toBe(
      'import mip\nmip.install("umqtt.simple", index="https://mirror.test/pi")\nmip.install("github:me/x@v1", index="https://mirror.test/pi")\n',
    );
    expect(boardMipCode(['aioble'])).toBe('import mip\nmip.install("aioble")\n');
    expect(() => boardMipCode(['x"); import os; os.remove("main.py")#'])).toThrow(/not a package name/);
  });
});
