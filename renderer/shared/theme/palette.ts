/**
 * The one source of the workbench colours. The chrome reads them as CSS
 * variables (applyPalette), Monaco and xterm get them through their own theme
 * objects, so the editor, the terminal and the frame around them always match.
 */
export type ColorScheme = 'light' | 'dark';

export interface AnsiColors {
  black: string;
  red: string;
  green: string;
  yellow: string;
  blue: string;
  magenta: string;
  cyan: string;
  white: string;
  brightBlack: string;
  brightRed: string;
  brightGreen: string;
  brightYellow: string;
  brightBlue: string;
  brightMagenta: string;
  brightCyan: string;
  brightWhite: string;
}

export interface Palette {
  readonly scheme: ColorScheme;
  /** Editor, terminal and other content surfaces. */
  readonly background: string;
  /** Activity bar, side bar, tab strip, panel header and status bar. */
  readonly chromeBackground: string;
  readonly inputBackground: string;
  readonly border: string;
  readonly foreground: string;
  readonly mutedForeground: string;
  readonly accent: string;
  readonly accentForeground: string;
  readonly hoverBackground: string;
  readonly activeBackground: string;
  readonly focusRing: string;
  readonly sashHover: string;
  readonly warning: string;
  readonly warningBackground: string;
  readonly error: string;
  readonly success: string;
  readonly tooltipBackground: string;
  readonly tooltipForeground: string;
  readonly selection: string;
  readonly lineHighlight: string;
  readonly lineNumber: string;
  readonly lineNumberActive: string;
  readonly ansi: AnsiColors;
}

export const lightPalette: Palette = {
  scheme: 'light',
  background: '#ffffff',
  chromeBackground: '#f7f8fa',
  inputBackground: '#ffffff',
  border: '#e3e5e8',
  foreground: '#2f3337',
  mutedForeground: '#6b7079',
  accent: '#2563c9',
  accentForeground: '#ffffff',
  hoverBackground: 'rgba(40, 50, 70, 0.07)',
  activeBackground: 'rgba(37, 99, 201, 0.12)',
  focusRing: '#2563c9',
  sashHover: '#2563c9',
  warning: '#9a6700',
  warningBackground: '#fff4d6',
  error: '#c62828',
  success: '#1f8a4c',
  tooltipBackground: '#2f3337',
  tooltipForeground: '#f7f8fa',
  selection: '#cfe0fa',
  lineHighlight: '#f4f6f9',
  lineNumber: '#a3a8b0',
  lineNumberActive: '#2f3337',
  ansi: {
    black: '#2f3337',
    red: '#c62828',
    green: '#1f7a3f',
    yellow: '#8a6100',
    blue: '#2563c9',
    magenta: '#9c3fb5',
    cyan: '#0f7b8a',
    white: '#d6d9de',
    brightBlack: '#6b7079',
    brightRed: '#e04343',
    brightGreen: '#2a9d55',
    brightYellow: '#b58100',
    brightBlue: '#3b7ae0',
    brightMagenta: '#b455cf',
    brightCyan: '#1597a8',
    brightWhite: '#f7f8fa',
  },
};

export const darkPalette: Palette = {
  scheme: 'dark',
  background: '#1e1f22',
  chromeBackground: '#18191c',
  inputBackground: '#25262a',
  border: '#2c2e33',
  foreground: '#d4d6da',
  mutedForeground: '#8f949c',
  accent: '#4c8df6',
  accentForeground: '#ffffff',
  hoverBackground: 'rgba(255, 255, 255, 0.07)',
  activeBackground: 'rgba(76, 141, 246, 0.18)',
  focusRing: '#4c8df6',
  sashHover: '#4c8df6',
  warning: '#e5b94a',
  warningBackground: '#3a3120',
  error: '#f16c6c',
  success: '#4cc38a',
  tooltipBackground: '#e6e8eb',
  tooltipForeground: '#1e1f22',
  selection: '#2d4a7a',
  lineHighlight: '#25272b',
  lineNumber: '#5c6069',
  lineNumberActive: '#c8cbd0',
  ansi: {
    black: '#1e1f22',
    red: '#f16c6c',
    green: '#5fcf8e',
    yellow: '#e5c07b',
    blue: '#61a0f5',
    magenta: '#c989e8',
    cyan: '#56c2d6',
    white: '#d4d6da',
    brightBlack: '#6b7079',
    brightRed: '#ff8a8a',
    brightGreen: '#7be0a6',
    brightYellow: '#f0d28f',
    brightBlue: '#82b6ff',
    brightMagenta: '#dba6f2',
    brightCyan: '#7dd6e6',
    brightWhite: '#ffffff',
  },
};

export function paletteFor(scheme: ColorScheme): Palette {
  return scheme === 'dark' ? darkPalette : lightPalette;
}

/** CSS custom property name for each chrome colour, e.g. `--pw-chrome-background`. */
export function cssVariables(palette: Palette): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(palette)) {
    if (typeof value !== 'string' || key === 'scheme') continue;
    vars[`--pw-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = value;
  }
  return vars;
}

/** Writes the palette onto an element (normally <html>) so the stylesheet's var(--pw-...) follow it. */
export function applyPalette(element: HTMLElement, palette: Palette): void {
  for (const [name, value] of Object.entries(cssVariables(palette))) element.style.setProperty(name, value);
  element.style.colorScheme = palette.scheme;
  element.dataset.theme = palette.scheme;
}
