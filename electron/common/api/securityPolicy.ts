/**
 * The Content-Security-Policy for the renderer, one definition for both hosts
 * (the web host sends it as a header, Electron's app:// protocol handler too).
 * No inline scripts and no eval: Monaco and xterm run from bundled files.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Monaco adds <style> elements at run time (its themes and decorations), which only
  // 'unsafe-inline' lets through; scripts, the part that matters, allow no inline code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The two browser permissions the renderer may have: the clipboard, written by
 * the terminal's Copy (and Ctrl+C on a selection) and read by its Ctrl+V.
 * Electron asks twice, once when a page checks a permission and once when it
 * requests it; both answer from here.
 */
export function rendererMayUse(permission: string): boolean {
  return permission === 'clipboard-sanitized-write' || permission === 'clipboard-read';
}
