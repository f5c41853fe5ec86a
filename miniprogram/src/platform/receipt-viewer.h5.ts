import { requestArrayBuffer } from '../services/request';
import { receiptPdfPath } from '../services/receipts';
import type { OpenReceipt } from './receipt-viewer';

/** Kept long enough for the new tab (or the download) to read it. */
const BLOB_URL_LIFETIME_MS = 60_000;

/**
 * A plain link cannot carry the Authorization header, so the PDF is fetched
 * as bytes and shown from a blob URL: in a tab opened at the tap (so no pop-up
 * blocker interferes), or, where no tab could be opened, downloaded.
 */
export const openReceipt: OpenReceipt = async (receiptNo) => {
  const tab = window.open('', '_blank');
  if (tab) tab.document.title = `收据 ${receiptNo}`;
  let bytes: ArrayBuffer;
  try {
    bytes = await requestArrayBuffer(receiptPdfPath(receiptNo));
  } catch (err) {
    tab?.close();
    throw err;
  }
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_LIFETIME_MS);
  if (tab && !tab.closed) {
    tab.location.href = url;
    return;
  }
  const link = document.createElement('a');
  link.href = url;
  link.download = `${receiptNo}.pdf`;
  document.body.appendChild(link);
  link.click();
  link.remove();
};
