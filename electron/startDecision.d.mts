/** Types of startDecision.mjs (plain JavaScript, run by `npm start` before anything is compiled). */
export declare const SETUP_COMMAND: string;

export type InstallOutcome = { ok: true } | { ok: false; reason: string };

export type HostChoice = { kind: 'desktop'; binary: string; installed: boolean } | { kind: 'web'; reason: string };

export declare function chooseHost(options: {
  env: Record<string, string | undefined>;
  findBinary: () => string | undefined;
  installBinary: () => Promise<InstallOutcome>;
  log: (line: string) => void;
}): Promise<HostChoice>;

export declare function fallbackLine(reason: string): string;
