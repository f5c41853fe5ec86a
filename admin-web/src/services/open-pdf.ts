/**
 * Opens a PDF the API serves (it needs the bearer token, so it is fetched
 * through the API client) in a new tab from a blob URL. DOM-only, like
 * ./save-file.ts.
 */
import type { DownloadedFile } from './request.ts';
import { saveDownloadedFile } from './save-file.ts';

/** How long the blob stays readable by the new tab (it reads it at once). */
const KEEP_BLOB_MS = 120_000;

/**
 * Opens the tab first (inside the click, so pop-up blockers allow it), then
 * points it at the PDF; if the browser refused a tab, the PDF is saved
 * instead. Throws what the download throws.
 */
export async function openPdf(download: () => Promise<DownloadedFile>, fallbackName: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const file = await download();
    const blob = file.blob.type === 'application/pdf' ? file.blob : new Blob([file.blob], { type: 'application/pdf' });
    if (!tab || tab.closed) {
      saveDownloadedFile({ ...file, blob }, fallbackName);
      return;
    }
    const url = URL.createObjectURL(blob);
    tab.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), KEEP_BLOB_MS);
  } catch (error) {
    tab?.close();
    throw error;
  }
}
