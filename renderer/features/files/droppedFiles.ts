/**
 * What was dropped on the file tree, files and whole folders alike, as a flat
 * list of (path inside the drop, File). Folders come from
 * DataTransferItem.webkitGetAsEntry, the one API every Chromium-based window
 * (Electron included) offers for walking a dropped folder.
 */

export interface DroppedFile {
  /** `/`-separated path relative to the drop, e.g. "lib/sensor.py". */
  readonly relativePath: string;
  readonly file: File;
}

export interface DroppedItems {
  readonly files: DroppedFile[];
  /** Folders (relative paths, parents first) to create even when empty. */
  readonly dirs: string[];
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: { files: DroppedFile[]; dirs: string[] }): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    out.files.push({ relativePath: path, file: await fileOf(entry as FileSystemFileEntry) });
    return;
  }
  if (!entry.isDirectory) return;
  out.dirs.push(path);
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 at a time in Chromium) until it returns none.
  for (;;) {
    const batch = await readEntries(reader);
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, path, out);
  }
}

/** Must be called during the drop event: the DataTransfer empties once the handler returns. */
export function collectDropped(dataTransfer: DataTransfer): Promise<DroppedItems> {
  const entries: FileSystemEntry[] = [];
  const plain: File[] = [];
  for (const item of Array.from(dataTransfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) plain.push(file);
    }
  }
  return (async () => {
    const out = { files: plain.map((file) => ({ relativePath: file.name, file })), dirs: [] as string[] };
    for (const entry of entries) await walk(entry, '', out);
    return out;
  })();
}
