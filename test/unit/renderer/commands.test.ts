import { describe, expect, it, vi } from 'vitest';
import { CommandRegistry, combineDisposables, commandId, type CommandProblem } from '../../../renderer/app/commands/CommandRegistry.js';
import { ContextKeys, parseWhen } from '../../../renderer/app/commands/ContextKeys.js';

describe('CommandRegistry', () => {
  const greet = commandId<{ name: string }, string>('test.greet');
  const ping = commandId('test.ping');

  it('runs a registered command with its arguments and resolves to its result', async () => {
    const commands = new CommandRegistry();
    commands.register(greet, { title: 'Greet', run: ({ name }) => `hello ${name}` });
    await expect(commands.execute(greet, { name: 'board' })).resolves.toBe('hello board');
    expect(commands.has('test.greet')).toBe(true);
    expect(commands.title('test.greet')).toBe('Greet');
  });

  it('awaits asynchronous commands', async () => {
    const commands = new CommandRegistry();
    commands.register(greet, { title: 'Greet', run: async ({ name }) => `later ${name}` });
    await expect(commands.execute(greet, { name: 'x' })).resolves.toBe('later x');
  });

  it('reports an unknown id and resolves to undefined instead of throwing', async () => {
    const problems: CommandProblem[] = [];
    const commands = new CommandRegistry((p) => problems.push(p));
    await expect(commands.execute(ping)).resolves.toBeUndefined();
    expect(problems).toEqual([{ kind: 'unknown', id: 'test.ping' }]);
  });

  it('does nothing, silently, when the command is disabled', async () => {
    const problems: CommandProblem[] = [];
    const commands = new CommandRegistry((p) => problems.push(p));
    const run = vi.fn();
    let enabled = false;
    commands.register(ping, { title: 'Ping', run, enabled: () => enabled });
    await expect(commands.execute(ping)).resolves.toBeUndefined();
    expect(run).not.toHaveBeenCalled();
    expect(commands.isEnabled('test.ping')).toBe(false);
    enabled = true;
    await commands.execute(ping);
    expect(run).toHaveBeenCalledTimes(1);
    expect(problems).toEqual([]);
  });

  it('reports a command that throws, with its title, and resolves to undefined', async () => {
    const problems: CommandProblem[] = [];
    const commands = new CommandRegistry((p) => problems.push(p));
    const error = new Error('boom');
    commands.register(ping, {
      title: 'Ping',
      run: () => {
        throw error;
      },
    });
    await expect(commands.execute(ping)).resolves.toBeUndefined();
    expect(problems).toEqual([{ kind: 'failed', id: 'test.ping', title: 'Ping', error }]);
  });

  it('refuses a second command with the same id', () => {
    const commands = new CommandRegistry();
    commands.register(ping, { title: 'Ping', run: () => {} });
    expect(() => commands.register(ping, { title: 'Ping again', run: () => {} })).toThrow(/test\.ping.*twice/);
  });

  it('unregisters on dispose, so the id can be registered again', async () => {
    const problems: CommandProblem[] = [];
    const commands = new CommandRegistry((p) => problems.push(p));
    const registration = combineDisposables([commands.register(ping, { title: 'Ping', run: () => {} }), commands.register(greet, { title: 'Greet', run: () => 'hi' })]);
    expect(commands.ids()).toEqual(['test.ping', 'test.greet']);
    registration.dispose();
    expect(commands.ids()).toEqual([]);
    await commands.execute(ping);
    expect(problems).toEqual([{ kind: 'unknown', id: 'test.ping' }]);
    commands.register(ping, { title: 'Ping', run: () => {} });
    expect(commands.has('test.ping')).toBe(true);
  });

  it('a stale disposable does not remove a newer registration', () => {
    const commands = new CommandRegistry();
    const first = commands.register(ping, { title: 'Ping', run: () => {} });
    first.dispose();
    commands.register(ping, { title: 'Ping 2', run: () => {} });
    first.dispose();
    expect(commands.title('test.ping')).toBe('Ping 2');
  });
});

describe('ContextKeys', () => {
  it('reads keys at the moment a clause is tested', () => {
    const context = new ContextKeys();
    let open = false;
    context.define('dialogOpen', () => open);
    expect(context.matches('dialogOpen')).toBe(false);
    expect(context.matches('!dialogOpen')).toBe(true);
    open = true;
    expect(context.matches('dialogOpen')).toBe(true);
    expect(context.matches('!dialogOpen')).toBe(false);
  });

  it('treats no clause as always true and joins terms with &&', () => {
    const context = new ContextKeys();
    context.define('a', () => true);
    context.define('b', () => false);
    expect(context.matches(undefined)).toBe(true);
    expect(context.matches('a && !b')).toBe(true);
    expect(context.matches('a && b')).toBe(false);
  });

  it('reads an undefined key as false and reports it once', () => {
    const unknown: string[] = [];
    const context = new ContextKeys((key) => unknown.push(key));
    expect(context.matches('typoKey')).toBe(false);
    expect(context.matches('!typoKey')).toBe(true);
    expect(unknown).toEqual(['typoKey']);
  });

  it('rejects clauses it cannot evaluate and keys defined twice', () => {
    expect(() => parseWhen('a || b')).toThrow(/when clause/);
    expect(() => parseWhen('(a)')).toThrow(/when clause/);
    expect(parseWhen(' ! a ')).toEqual([{ key: 'a', negated: true }]);
    const context = new ContextKeys();
    context.define('a', () => true);
    expect(() => context.define('a', () => false)).toThrow(/twice/);
  });
});
