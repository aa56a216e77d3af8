/**
 * Where connection secrets (MQTT passwords, TLS client keys) are sealed
 * before they touch the disk. Electron seals with `safeStorage` (the system
 * keychain); the web host has no keychain, so it seals with AES-256-GCM under
 * a key kept in a file only this user may read (mode 0600), and the UI says
 * so in those words: it protects against a copied profile file, not against
 * someone who can read the user's files.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../services/writeFileAtomic.js';

export interface SecretBox {
  /** How the secrets are protected, in words for the UI. */
  readonly description: string;
  seal(plain: string): Promise<string>;
  /** Throws when the text was not sealed by this box (another machine's keychain, a lost key file). */
  open(sealed: string): Promise<string>;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Marks the format, so a later change of cipher can still read old files. */
const FORMAT = 'k1:';

export class KeyFileSecretBox implements SecretBox {
  private key: Promise<Buffer> | undefined;

  constructor(readonly keyFile: string) {}

  static inDir(dir: string): KeyFileSecretBox {
    return new KeyFileSecretBox(path.join(dir, 'secrets.key'));
  }

  get description(): string {
    return `encrypted with a key in ${this.keyFile}, readable only by your user (no system keychain in the browser version)`;
  }

  private loadKey(): Promise<Buffer> {
    this.key ??= (async () => {
      try {
        const existing = Buffer.from((await readFile(this.keyFile, 'utf8')).trim(), 'base64');
        if (existing.length === KEY_BYTES) return existing;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const fresh = randomBytes(KEY_BYTES);
      await writeFileAtomic(this.keyFile, fresh.toString('base64') + '\n', { mode: PRIVATE_FILE_MODE });
      return fresh;
    })();
    return this.key;
  }

  async seal(plain: string): Promise<string> {
    const key = await this.loadKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return FORMAT + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  async open(sealed: string): Promise<string> {
    if (!sealed.startsWith(FORMAT)) throw new Error('This secret was not sealed with the key file.');
    const raw = Buffer.from(sealed.slice(FORMAT.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('The sealed secret is damaged.');
    const key = await this.loadKey();
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
