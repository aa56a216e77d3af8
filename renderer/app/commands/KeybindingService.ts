/**
 * Turns key presses into commands: reads the keybinding table once, and one
 * keydown listener on the window (capture phase, so it runs ahead of Monaco,
 * xterm and the browser's own F5 reload) runs the command of the first
 * binding whose chord matches and whose `when` clause holds.
 */
import type { CommandRegistry, Disposable } from './CommandRegistry.js';
import { parseWhen, type ContextKeys } from './ContextKeys.js';

export interface Keybinding {
  /** "Ctrl+S", "Shift+F5", "Ctrl+`", "Escape". Ctrl also means Cmd on a Mac. */
  readonly key: string;
  readonly command: string;
  /** A context clause ("dialogOpen", "!dialogOpen"); the binding is ignored while it does not hold. */
  readonly when?: string;
}

export interface Chord {
  /** Ctrl or Cmd. */
  readonly ctrl: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  /** KeyboardEvent.key, lower case for letters. */
  readonly key: string;
}

/** The part of a KeyboardEvent a chord is matched against. */
export type KeyPress = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * Keys also matched by where they are on the keyboard: layouts that put
 * another character on the backquote key (a dead key on many European
 * layouts) would otherwise have no way to press Ctrl+`.
 */
const PHYSICAL_CODES: Readonly<Record<string, string>> = { '`': 'Backquote' };

const MODIFIERS = ['ctrl', 'shift', 'alt'] as const;

export function parseChord(text: string): Chord {
  const parts = text.split('+');
  const key = parts.pop();
  const modifiers = new Set(parts.map((p) => p.trim().toLowerCase()));
  if (!key || [...modifiers].some((m) => !(MODIFIERS as readonly string[]).includes(m))) throw new Error(`Cannot read the key chord "${text}".`);
  return { ctrl: modifiers.has('ctrl'), shift: modifiers.has('shift'), alt: modifiers.has('alt'), key: key.length === 1 ? key.toLowerCase() : key };
}

/** Modifiers must match exactly: Ctrl+Shift+S is not Ctrl+S. */
export function chordMatches(chord: Chord, e: KeyPress): boolean {
  if ((e.ctrlKey || e.metaKey) !== chord.ctrl || e.shiftKey !== chord.shift || e.altKey !== chord.alt) return false;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return key === chord.key || (PHYSICAL_CODES[chord.key] !== undefined && e.code === PHYSICAL_CODES[chord.key]);
}

interface Binding {
  readonly chord: Chord;
  readonly command: string;
  readonly when: string | undefined;
}

export class KeybindingService {
  private readonly bindings: readonly Binding[];

  /** Reads the whole table up front: a chord or `when` clause it cannot read throws here, at start. */
  constructor(
    table: readonly Keybinding[],
    private readonly commands: CommandRegistry,
    private readonly context: ContextKeys,
  ) {
    this.bindings = table.map((b) => {
      if (b.when !== undefined) parseWhen(b.when);
      return { chord: parseChord(b.key), command: b.command, when: b.when };
    });
  }

  /** The command a key press runs now, if any. */
  resolve(e: KeyPress): string | undefined {
    return this.bindings.find((b) => chordMatches(b.chord, e) && this.context.matches(b.when))?.command;
  }

  /**
   * Runs the bound command and consumes the key, even when the command is
   * disabled: F5 must never fall through to the browser's reload.
   */
  dispatch(e: KeyboardEvent): boolean {
    const command = this.resolve(e);
    if (command === undefined) return false;
    e.preventDefault();
    e.stopPropagation();
    void this.commands.execute(command);
    return true;
  }

  /** Listens on the whole window; call once. */
  install(win: Window): Disposable {
    const onKeyDown = (e: KeyboardEvent) => this.dispatch(e);
    win.addEventListener('keydown', onKeyDown, true);
    return { dispose: () => win.removeEventListener('keydown', onKeyDown, true) };
  }
}
