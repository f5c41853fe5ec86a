/**
 * Receipt PDFs: opened in a new tab or saved. The PDF needs the bearer
 * token, so it is fetched through the API client. DOM-only.
 */
import { downloadReceiptPdf } from '../services/counter.ts';
import { openPdf } from '../services/open-pdf.ts';
import { saveDownloadedFile } from '../services/save-file.ts';

const fileName = (receiptNo: string) => `收据-${receiptNo}.pdf`;

/** Opens the receipt in a new tab (saved instead when the browser refuses a tab). */
export function openReceiptPdf(receiptNo: string): Promise<void> {
  return openPdf(() => downloadReceiptPdf(receiptNo), fileName(receiptNo));
}

/** Saves the receipt PDF (下载). */
export async function saveReceiptPdf(receiptNo: string): Promise<void> {
  saveDownloadedFile(await downloadReceiptPdf(receiptNo), fileName(receiptNo));
}
