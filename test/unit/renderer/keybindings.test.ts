import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { WorkbenchCommands } from '../../../renderer/app/WorkbenchCommands.js';
import { CommandRegistry, commandId } from '../../../renderer/app/commands/CommandRegistry.js';
import { ContextKeys } from '../../../renderer/app/commands/ContextKeys.js';
import { KeybindingService, chordMatches, parseChord, type KeyPress } from '../../../renderer/app/commands/KeybindingService.js';
import { KEYBINDINGS, shortcutFor, shortcutSuffix } from '../../../renderer/app/commands/keybindings.js';
import { BoardCommands } from '../../../renderer/features/boards/BoardCommands.js';
import { EditorCommands } from '../../../renderer/features/editor/EditorCommands.js';
import { FileCommands } from '../../../renderer/features/files/FileCommands.js';
import { TerminalCommands } from '../../../renderer/features/terminal/TerminalCommands.js';

const RENDERER = path.resolve(import.meta.dirname, '..', '..', '..', 'renderer');

function press(key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}) {
  return {
    key,
    code: mods.code ?? '',
    ctrlKey: mods.ctrlKey ?? false,
    metaKey: mods.metaKey ?? false,
    shiftKey: mods.shiftKey ?? false,
    altKey: mods.altKey ?? false,
    preventDefault: vi.fn(),
    stopPropagation: vi.fn(),
  };
}

/** The real table over a registry that records which commands ran, with a switch for "a dialog is open". */
function setUp() {
  const ran: string[] = [];
  const commands = new CommandRegistry();
  for (const id of new Set(KEYBINDINGS.map((b) => b.command))) commands.register(commandId(id), { title: id, run: () => void ran.push(id) });
  let dialogOpen = false;
  const context = new ContextKeys();
  context.define('dialogOpen', () => dialogOpen);
  const service = new KeybindingService(KEYBINDINGS, commands, context);
  return {
    ran,
    commands,
    service,
    setDialogOpen: (open: boolean) => (dialogOpen = open),
    dispatch: (e: ReturnType<typeof press>) => service.dispatch(e as unknown as KeyboardEvent),
  };
}

describe('the keybinding table', () => {
  it('binds exactly these shortcuts', () => {
    expect(KEYBINDINGS.map((b) => [b.key, b.command, b.when])).toEqual([
      ['Ctrl+S', 'editor.save', '!dialogOpen'],
      ['F5', 'editor.run', '!dialogOpen'],
      ['Shift+F5', 'editor.stop', '!dialogOpen'],
      ['Ctrl+B', 'layout.toggleSidebar', undefined],
      ['Ctrl+`', 'layout.togglePanel', undefined],
      ['F6', 'layout.focusNextPart', '!dialogOpen'],
      ['Shift+F6', 'layout.focusPreviousPart', '!dialogOpen'],
      ['Escape', 'dialogs.cancel', 'dialogOpen'],
    ]);
  });

  it('names shortcuts for tooltips from the table', () => {
    expect(shortcutFor('editor.run')).toBe('F5');
    expect(shortcutFor('editor.stop')).toBe('Shift+F5');
    expect(shortcutSuffix('editor.save')).toBe(' (Ctrl+S)');
    expect(shortcutSuffix('layout.togglePanel')).toBe(' (Ctrl+`)');
    expect(shortcutSuffix('editor.saveAndReset')).toBe('');
  });

  it('every command id a feature declares is registered by some file in the renderer', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name)) sources.push(readFileSync(full, 'utf8'));
      }
    };
    walk(RENDERER);
    const all = sources.join('\n');
    const groups = { EditorCommands, BoardCommands, FileCommands, TerminalCommands, WorkbenchCommands };
    const unregistered: string[] = [];
    const ids: string[] = [];
    for (const [group, members] of Object.entries(groups)) {
      for (const [name, id] of Object.entries(members)) {
        ids.push(id);
        if (!all.includes(`register(${group}.${name},`)) unregistered.push(`${group}.${name}`);
      }
    }
    expect(unregistered).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const binding of KEYBINDINGS) expect(ids).toContain(binding.command);
  });
});

describe('key chords', () => {
  it('reads modifiers and the key, Ctrl standing for Cmd too', () => {
    expect(parseChord('Ctrl+S')).toEqual({ ctrl: true, shift: false, alt: false, key: 's' });
    expect(parseChord('Shift+F5')).toEqual({ ctrl: false, shift: true, alt: false, key: 'F5' });
    expect(parseChord('Ctrl+`')).toEqual({ ctrl: true, shift: false, alt: false, key: '`' });
    expect(() => parseChord('Hyper+S')).toThrow(/chord/);
    expect(() => parseChord('Ctrl+')).toThrow(/chord/);
  });

  it('needs the exact modifiers', () => {
    const ctrlS = parseChord('Ctrl+S');
    expect(chordMatches(ctrlS, press('s', { ctrlKey: true }))).toBe(true);
    expect(chordMatches(ctrlS, press('S', { ctrlKey: true }))).toBe(true);
    expect(chordMatches(ctrlS, press('s', { metaKey: true }))).toBe(true);
    expect(chordMatches(ctrlS, press('s'))).toBe(false);
    expect(chordMatches(ctrlS, press('S', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(chordMatches(ctrlS, press('s', { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('matches Ctrl+` by the key position on layouts where that key types something else', () => {
    const chord = parseChord('Ctrl+`');
    expect(chordMatches(chord, press('`', { ctrlKey: true, code: 'Backquote' }))).toBe(true);
    expect(chordMatches(chord, press('Dead', { ctrlKey: true, code: 'Backquote' }))).toBe(true);
    expect(chordMatches(chord, press('^', { ctrlKey: true, code: 'Equal' }))).toBe(false);
  });
});

describe('KeybindingService', () => {
  it('runs save, run and stop from Ctrl+S, F5 and Shift+F5, and consumes the keys', () => {
    const { ran, dispatch } = setUp();
    const keys = [press('s', { ctrlKey: true }), press('F5'), press('F5', { shiftKey: true })];
    for (const e of keys) expect(dispatch(e)).toBe(true);
    expect(ran).toEqual(['editor.save', 'editor.run', 'editor.stop']);
    for (const e of keys) {
      expect(e.preventDefault).toHaveBeenCalled();
      expect(e.stopPropagation).toHaveBeenCalled();
    }
  });

  it('leaves other keys alone', () => {
    const { ran, dispatch } = setUp();
    for (const e of [press('a'), press('F5', { ctrlKey: true }), press('F5', { altKey: true }), press('Escape'), press('b', { ctrlKey: true, shiftKey: true })]) {
      expect(dispatch(e)).toBe(false);
      expect(e.preventDefault).not.toHaveBeenCalled();
    }
    expect(ran).toEqual([]);
  });

  it('while a dialog is open: no save, run or stop, but Escape cancels it and the layout keys still work', () => {
    const { ran, dispatch, setDialogOpen } = setUp();
    setDialogOpen(true);
    const blocked = [press('s', { ctrlKey: true }), press('F5'), press('F5', { shiftKey: true })];
    for (const e of blocked) expect(dispatch(e)).toBe(false);
    expect(dispatch(press('Escape'))).toBe(true);
    expect(dispatch(press('b', { ctrlKey: true }))).toBe(true);
    expect(dispatch(press('`', { ctrlKey: true, code: 'Backquote' }))).toBe(true);
    expect(ran).toEqual(['dialogs.cancel', 'layout.toggleSidebar', 'layout.togglePanel']);
  });

  it('consumes F5 even when its command is disabled, so the browser never reloads the page', () => {
    const commands = new CommandRegistry();
    const run = vi.fn();
    commands.register(EditorCommands.run, { title: 'Run', run, enabled: () => false });
    const service = new KeybindingService([{ key: 'F5', command: 'editor.run' }], commands, new ContextKeys());
    const e = press('F5');
    expect(service.dispatch(e as unknown as KeyboardEvent)).toBe(true);
    expect(e.preventDefault).toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it('rejects a table it cannot read when it is created', () => {
    const commands = new CommandRegistry();
    expect(() => new KeybindingService([{ key: 'Ctrl+Q', command: 'x', when: 'a || b' }], commands, new ContextKeys())).toThrow(/when clause/);
    expect(() => new KeybindingService([{ key: 'Super+Q', command: 'x' }], commands, new ContextKeys())).toThrow(/chord/);
  });

  it('listens on the window in the capture phase, once, until disposed', () => {
    const { service, ran } = setUp();
    const listeners: Array<{ type: string; listener: (e: KeyboardEvent) => void; capture: unknown }> = [];
    const win = {
      addEventListener: (type: string, listener: (e: KeyboardEvent) => void, capture: unknown) => listeners.push({ type, listener, capture }),
      removeEventListener: (type: string, listener: (e: KeyboardEvent) => void, capture: unknown) => {
        const i = listeners.findIndex((l) => l.type === type && l.listener === listener && l.capture === capture);
        if (i >= 0) listeners.splice(i, 1);
      },
    };
    const installed = service.install(win as unknown as Window);
    expect(listeners.map((l) => [l.type, l.capture])).toEqual([['keydown', true]]);
    listeners[0]!.listener(press('F5') as unknown as KeyboardEvent);
    expect(ran).toEqual(['editor.run']);
    installed.dispose();
    expect(listeners).toEqual([]);
  });
});
