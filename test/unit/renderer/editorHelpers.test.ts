import { describe, expect, it } from 'vitest';
import { completionContext, importAliases } from '../../../renderer/features/editor/completionContext.js';
import { MICROPYTHON_MODULES, bundledMembers } from '../../../renderer/features/editor/micropythonApi.js';

describe('completionContext', () => {
  it('completes module names after import and from', () => {
    expect(completionContext('import ma')).toEqual({ kind: 'module', prefix: 'ma' });
    expect(completionContext('from ')).toEqual({ kind: 'module', prefix: '' });
    expect(completionContext('import os, ti')).toEqual({ kind: 'module', prefix: 'ti' });
  });

  it('completes members after a dotted name and in from-imports', () => {
    expect(completionContext('    machine.')).toEqual({ kind: 'member', expr: 'machine', prefix: '' });
    expect(completionContext('x = machine.Pin.O')).toEqual({ kind: 'member', expr: 'machine.Pin', prefix: 'O' });
    expect(completionContext('from machine import P')).toEqual({ kind: 'member', expr: 'machine', prefix: 'P' });
    expect(completionContext('import umqtt.si')).toEqual({ kind: 'member', expr: 'umqtt', prefix: 'si' });
  });

  it('resolves names bound by imports to their module path', () => {
    const text = 'from machine import Pin as P, I2C\nimport network as net\n';
    expect(importAliases(text)).toEqual(new Map([['P', 'machine.Pin'], ['I2C', 'machine.I2C'], ['net', 'network']]));
    expect(completionContext('P.', text)).toEqual({ kind: 'member', expr: 'machine.Pin', prefix: '' });
    expect(completionContext('w = net.W', text)).toEqual({ kind: 'member', expr: 'network', prefix: 'W' });
  });

  it('offers nothing inside comments and strings', () => {
    expect(completionContext('# see machine.')).toEqual({ kind: 'none' });
    expect(completionContext('print("machine.')).toEqual({ kind: 'none' });
  });
});

describe('the bundled MicroPython list', () => {
  it('knows machine.Pin and the members of Pin', () => {
    expect(bundledMembers('machine').map((m) => m.name)).toContain('Pin');
    expect(bundledMembers('machine').find((m) => m.name === 'Pin')?.kind).toBe('class');
    expect(bundledMembers('machine.Pin').map((m) => m.name)).toEqual(expect.arrayContaining(['value', 'on', 'off', 'OUT', 'IN', 'irq']));
  });

  it('lists top-level modules only and answers [] for the unknown', () => {
    const names = MICROPYTHON_MODULES.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['machine', 'time', 'network', 'os']));
    expect(names.some((n) => n.includes('.'))).toBe(false);
    expect(bundledMembers('nope')).toEqual([]);
  });
});
