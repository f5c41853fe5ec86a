/** GET /parent/receipts/:receiptNo/pdf (needs the parent's token; opened by platform/receipt-viewer). */
export function receiptPdfPath(receiptNo: string): string {
  return `/parent/receipts/${encodeURIComponent(receiptNo)}/pdf`;
}
