/**
 * Showing a receipt's PDF (GET /parent/receipts/:receiptNo/pdf, which needs
 * the parent's Authorization header): the shared type of the platform
 * variants, resolved by Taro at build time like wechat-login.ts:
 *   - receipt-viewer.weapp.ts: Taro.downloadFile with the header, then Taro.openDocument;
 *   - receipt-viewer.h5.ts: the PDF fetched as bytes (Taro.request, responseType
 *     arraybuffer) and opened as a blob URL in a new tab.
 *
 * Call it directly from the tap handler, before any `await`: the H5 variant
 * opens its tab synchronously so that browsers do not block it as a pop-up.
 * Rejects with an Error (an ApiError when the server refused) the page shows.
 */
export type OpenReceipt = (receiptNo: string) => Promise<void>;

/** Fallback for targets without a variant. */
export const openReceipt: OpenReceipt = () => Promise.reject(new Error('当前平台暂不支持查看收据'));
