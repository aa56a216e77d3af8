/** The firmware catalog that ships with the app (firmware/catalog.json), read and validated once. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCatalog, type FirmwareCatalog } from '../../common/flash/catalog.js';
import { FlashError } from '../../common/flash/FlashError.js';
import { PROJECT_ROOT } from '../appPaths.js';

export const SHIPPED_CATALOG_PATH = path.join(PROJECT_ROOT, 'firmware', 'catalog.json');

export async function loadCatalog(file = SHIPPED_CATALOG_PATH): Promise<FirmwareCatalog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new FlashError('NOT_FOUND', `The firmware catalog is missing (${file}); reinstall Pinwheel.`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FlashError('INVALID_CATALOG', `The firmware catalog (${file}) is not valid JSON.`, { cause: err });
  }
  return parseCatalog(json);
}
