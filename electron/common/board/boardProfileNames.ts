/**
 * The firmware the virtual board can imitate, by name, and how a person sees
 * each. The names cross the API, the settings file and the CLI; what each
 * profile means for the board is in electron/node/vboard/BoardProfile.ts.
 */
export const BOARD_PROFILE_NAMES = ['esp32', '1.9-minimal'] as const;
export type BoardProfileName = (typeof BOARD_PROFILE_NAMES)[number];
export const DEFAULT_BOARD_PROFILE: BoardProfileName = 'esp32';

/** What the firmware picker shows. */
export const BOARD_PROFILE_LABELS: Readonly<Record<BoardProfileName, string>> = {
  esp32: 'ESP32, current MicroPython',
  '1.9-minimal': 'MicroPython 1.9, minimal',
};

export function isBoardProfileName(name: string): name is BoardProfileName {
  return (BOARD_PROFILE_NAMES as readonly string[]).includes(name);
}

/** Profiles whose board has `network` and `socket` (the virtual Wi-Fi); the 1.9 board's heap has no room for them. */
export const PROFILES_WITH_NETWORK: readonly BoardProfileName[] = ['esp32'];
