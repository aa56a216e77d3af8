// Issue 9, item 3: the page holds the web host's token in its own origin's
// storage, taken from the URL's fragment, never in a cookie.
import { describe, expect, it } from 'vitest';
import { HostConnection } from '../../../renderer/app/HostConnection.js';
import { takeHostToken, type TokenWindow } from '../../../renderer/app/hostToken.js';

function fakeWindow(href: string) {
  const url = new URL(href);
  const storage = new Map<string, string>();
  const replaced: string[] = [];
  const win: TokenWindow & { location: { href: string } } = {
    location: { href: url.href, hash: url.hash, pathname: url.pathname, search: url.search },
    history: { replaceState: (_d, _u, next) => void replaced.push(next ?? '') },
    sessionStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
  return { win, storage, replaced };
}

describe('takeHostToken', () => {
  it('moves the token from the fragment into session storage and out of the address bar', () => {
    const { win, storage, replaced } = fakeWindow('http://127.0.0.1:4000/?tab=2#token=abc-DEF_1');
    expect(takeHostToken(win)).toBe('abc-DEF_1');
    expect([...storage.values()]).toEqual(['abc-DEF_1']);
    expect(replaced).toEqual(['/?tab=2']);
  });

  it('keeps the token a reload finds in storage, and keeps other fragment parts', () => {
    const { win, replaced } = fakeWindow('http://127.0.0.1:4000/#token=t1&pane=files');
    takeHostToken(win);
    expect(replaced).toEqual(['/#pane=files']);
    win.location.hash = '';
    expect(takeHostToken(win)).toBe('t1');
  });

  it('has none when the page was opened without it', () => {
    const { win, replaced } = fakeWindow('http://127.0.0.1:4000/');
    expect(takeHostToken(win)).toBeNull();
    expect(replaced).toEqual([]);
  });
});

describe('HostConnection.forWindow without a token', () => {
  it('does not connect and says which URL to open', () => {
    const { win } = fakeWindow('http://127.0.0.1:4000/');
    const connection = HostConnection.forWindow(win as unknown as Window);
    connection.start();
    expect(connection.state).toMatchObject({ status: 'disconnected', retryInMs: null });
    expect(connection.state.status === 'disconnected' && connection.state.reason).toMatch(/needs its access token.*#token=/);
    connection.dispose();
  });
});
