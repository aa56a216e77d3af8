/**
 * The web host's access token, as the page holds it. It arrives in the URL's
 * fragment (`#token=...`), which no request carries; the page moves it into
 * sessionStorage, which belongs to this origin alone (scheme, host and port:
 * another local server cannot read it, unlike a cookie for 127.0.0.1), and
 * takes it out of the address bar and history. A reload keeps it; a new
 * window needs the printed URL again.
 */

const STORAGE_KEY = 'pinwheel.hostToken';

/** The parts of `window` used here, so tests can pass a fake. */
export interface TokenWindow {
  location: { hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

/** Takes a token out of the fragment into storage, and returns the one the page holds (null: none). */
export function takeHostToken(win: TokenWindow): string | null {
  const fragment = new URLSearchParams(win.location.hash.replace(/^#/, ''));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    fragment.delete('token');
    const rest = fragment.toString();
    win.history.replaceState(null, '', win.location.pathname + win.location.search + (rest ? `#${rest}` : ''));
  }
  return win.sessionStorage.getItem(STORAGE_KEY);
}
