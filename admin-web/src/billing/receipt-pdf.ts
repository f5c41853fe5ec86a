/**
 * Opens a receipt PDF in a new tab. The PDF needs the bearer token, so it is
 * fetched through the API client and shown from a blob URL. DOM-only.
 */
import { downloadReceiptPdf } from '../services/counter.ts';
import { saveDownloadedFile } from '../services/save-file.ts';

/** How long the blob stays readable by the new tab (it reads it at once). */
const KEEP_BLOB_MS = 120_000;

/**
 * Opens the tab first (inside the click, so pop-up blockers allow it), then
 * points it at the PDF; if the browser refused a tab, the PDF is saved
 * instead. Throws what the download throws.
 */
export async function openReceiptPdf(receiptNo: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const file = await downloadReceiptPdf(receiptNo);
    const blob = file.blob.type === 'application/pdf' ? file.blob : new Blob([file.blob], { type: 'application/pdf' });
    if (!tab || tab.closed) {
      saveDownloadedFile({ ...file, blob }, `收据-${receiptNo}.pdf`);
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

/** Saves the receipt PDF (下载). */
export async function saveReceiptPdf(receiptNo: string): Promise<void> {
  const file = await downloadReceiptPdf(receiptNo);
  saveDownloadedFile(file, `收据-${receiptNo}.pdf`);
}
