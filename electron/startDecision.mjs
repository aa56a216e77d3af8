// How `npm start` chooses between the desktop app and the browser version,
// apart from start.mjs so tests can drive it with fakes. Plain JavaScript:
// it runs before anything is compiled (types: startDecision.d.mts).
//
// The Electron binary is not downloaded by `npm ci` (package.json's
// allowScripts denies Electron's install script, and npm 11 enforces that,
// so CI machines without it install cleanly). So the first `npm start` on a
// machine without it runs Electron's own installer once; when that fails (no
// network, or ELECTRON_SKIP_BINARY_DOWNLOAD set, as on CI) the browser version
// starts, and one line says why and how to get the desktop app.

export const SETUP_COMMAND = 'npm run setup:desktop';

/**
 * @param {{
 *   env: Record<string, string | undefined>,
 *   findBinary: () => string | undefined,
 *   installBinary: () => Promise<{ ok: true } | { ok: false, reason: string }>,
 *   log: (line: string) => void,
 * }} options
 */
export async function chooseHost({ env, findBinary, installBinary, log }) {
  if (env.PINWHEEL_WEB === '1') return { kind: 'web', reason: 'PINWHEEL_WEB=1 asks for the browser version' };
  const present = findBinary();
  if (present) return { kind: 'desktop', binary: present, installed: false };
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { kind: 'web', reason: 'the desktop app (Electron) is not installed, and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded' };
  }
  log('Pinwheel: the desktop app (Electron) is not installed yet; downloading it once (about 100 MB)...');
  let outcome;
  try {
    outcome = await installBinary();
  } catch (err) {
    outcome = { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  const binary = findBinary();
  if (outcome.ok && binary) return { kind: 'desktop', binary, installed: true };
  const reason = outcome.ok ? 'the download finished but left no Electron binary' : outcome.reason;
  return { kind: 'web', reason: `the desktop app (Electron) is not installed, and downloading it failed: ${reason}` };
}

/** The one line printed when the browser version starts instead of the desktop app. */
export function fallbackLine(reason) {
  return `Pinwheel: starting the browser version, because ${reason}. For the desktop app: ${SETUP_COMMAND}`;
}
