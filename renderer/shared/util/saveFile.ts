/**
 * Hands bytes to the browser (or Electron's window) as a download named
 * `fileName`: the user's usual "save" flow, the same in both hosts.
 */
export function saveFile(bytes: Uint8Array, fileName: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has its own copy once it started; the object URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
