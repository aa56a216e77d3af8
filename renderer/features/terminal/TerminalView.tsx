import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { useEffect, useRef } from 'react';
import { usePalette } from '../../shared/theme/ThemeProvider.js';
import type { TerminalSession } from './TerminalSession.js';

/** The terminal's keys that are not the board's, for its tooltip. */
export const TERMINAL_KEYS_HINT = "The board's REPL. Ctrl+C copies selected text (with nothing selected it interrupts the board), Ctrl+V pastes, F6 moves to the next part of the window.";

/** Hosts the session's xterm and keeps its rows and columns matched to the panel size. */
export function TerminalView({ session }: { session: TerminalSession }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const palette = usePalette();

  useEffect(() => session.setPalette(palette), [session, palette]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    session.attach(host);
    let frame = 0;
    // One fit per animation frame: a sash drag fires many resize notifications per frame.
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => session.fit());
    });
    observer.observe(host);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [session]);

  return <div className="terminal-host" ref={hostRef} data-testid="terminal" title={TERMINAL_KEYS_HINT} />;
}
