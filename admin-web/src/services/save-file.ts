/**
 * Hands a downloaded file (e.g. an .xlsx export from `api.download`) to the
 * browser's save dialog. DOM-only; kept apart from the tested request code.
 */
import type { DownloadedFile } from './request.ts';

export function saveDownloadedFile(file: DownloadedFile, fallbackName: string): void {
  const url = URL.createObjectURL(file.blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = file.filename ?? fallbackName;
    link.rel = 'noopener';
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    // Give the browser a moment to start the download before revoking.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
}
