/**
 * Follows the OS colour scheme and publishes the matching palette: written to
 * <html> as CSS variables for the chrome, read by the editor and terminal
 * through usePalette() for their own theme APIs.
 */
import { createContext, useContext, useLayoutEffect, type ReactNode } from 'react';
import { applyPalette, lightPalette, paletteFor, type Palette } from './palette.js';
import { useColorScheme } from './useColorScheme.js';

const ThemeContext = createContext<Palette>(lightPalette);

export function ThemeProvider({ children }: { children: ReactNode }) {
  const palette = paletteFor(useColorScheme());
  // Layout effect: the variables must be in place before the first paint, or the window flashes unstyled.
  useLayoutEffect(() => applyPalette(document.documentElement, palette), [palette]);
  return <ThemeContext.Provider value={palette}>{children}</ThemeContext.Provider>;
}

export function usePalette(): Palette {
  return useContext(ThemeContext);
}
