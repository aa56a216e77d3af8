/**
 * Every action a person can trigger, by id: toolbar buttons, menus and the
 * keybinding table all run the same registered command, so a button and its
 * shortcut cannot drift apart. Features register their own commands at start
 * and nothing else needs to know how a command is done.
 */

/** What registering returns: dispose() unregisters again. */
export interface Disposable {
  dispose(): void;
}

declare const commandTypes: unique symbol;

/**
 * A command's id, typed with what the command takes and what it resolves to,
 * so `execute(id, args)` is checked against `register(id, ...)` without the
 * caller importing the feature that implements it.
 */
export type CommandId<Args = void, Result = void> = string & { readonly [commandTypes]?: (args: Args) => Result };

export function commandId<Args = void, Result = void>(id: string): CommandId<Args, Result> {
  return id as CommandId<Args, Result>;
}

export interface Command<Args = void, Result = void> {
  /** What the command does, for a menu, a palette or a diagnostic. */
  readonly title: string;
  run(args: Args): Result | Promise<Result>;
  /** False makes running the command a no-op (the default is always enabled). */
  enabled?(): boolean;
}

/** Why a command did not run. */
export type CommandProblem = { kind: 'unknown'; id: string } | { kind: 'failed'; id: string; title: string; error: unknown };

interface Registered {
  readonly id: string;
  readonly command: Command<never, unknown>;
}

/** One disposable for several (a feature's commands), disposed in reverse order. */
export function combineDisposables(disposables: readonly Disposable[]): Disposable {
  return { dispose: () => [...disposables].reverse().forEach((d) => d.dispose()) };
}

export class CommandRegistry {
  private readonly commands = new Map<string, Registered>();

  /** `onProblem` hears about unknown ids and commands that threw: programming errors, not the person's. */
  constructor(private readonly onProblem: (problem: CommandProblem) => void = () => {}) {}

  register<Args, Result>(id: CommandId<Args, Result>, command: Command<Args, Result>): Disposable {
    if (this.commands.has(id)) throw new Error(`The command "${id}" is registered twice.`);
    const entry: Registered = { id, command: command as Command<never, unknown> };
    this.commands.set(id, entry);
    return {
      dispose: () => {
        if (this.commands.get(id) === entry) this.commands.delete(id);
      },
    };
  }

  has(id: string): boolean {
    return this.commands.has(id);
  }

  title(id: string): string | undefined {
    return this.commands.get(id)?.command.title;
  }

  /** Registered ids, in registration order. */
  ids(): string[] {
    return [...this.commands.keys()];
  }

  isEnabled(id: string): boolean {
    const entry = this.commands.get(id);
    return entry !== undefined && (entry.command.enabled?.() ?? true);
  }

  /**
   * Runs a command and resolves to its result, or to undefined when it did
   * not run. A disabled command is a silent no-op (a shortcut pressed when its
   * action makes no sense does nothing, like a greyed-out menu item). An
   * unknown id, or a command that throws instead of reporting its own failure,
   * is a bug: it goes to `onProblem` and the caller (often a click handler or
   * a key press with nobody awaiting it) gets undefined rather than an
   * unhandled rejection.
   */
  async execute<Args, Result>(id: CommandId<Args, Result>, args: Args): Promise<Result | undefined>;
  async execute<Result>(id: CommandId<void, Result>): Promise<Result | undefined>;
  async execute(id: string, args?: unknown): Promise<unknown> {
    const entry = this.commands.get(id);
    if (!entry) {
      this.onProblem({ kind: 'unknown', id });
      return undefined;
    }
    if (entry.command.enabled && !entry.command.enabled()) return undefined;
    try {
      return await (entry.command.run as (args: unknown) => unknown)(args);
    } catch (error) {
      this.onProblem({ kind: 'failed', id, title: entry.command.title, error });
      return undefined;
    }
  }
}
