import Taro from '@tarojs/taro';
import { ApiError } from '../services/api-error';
import { clearParentSession } from '../services/session';
import { apiUrl, authHeader } from '../services/request';
import { receiptPdfPath } from '../services/receipts';
import type { OpenReceipt } from './receipt-viewer';

/** wx.downloadFile (with the parent's token) into a temporary file, then wx.openDocument shows it. */
export const openReceipt: OpenReceipt = async (receiptNo) => {
  let downloaded: Taro.downloadFile.FileSuccessCallbackResult;
  try {
    downloaded = await Taro.downloadFile({ url: apiUrl(receiptPdfPath(receiptNo)), header: authHeader() });
  } catch (err) {
    console.warn('[receipt] downloadFile failed', err);
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR', message: '收据下载失败，请检查网络后重试' });
  }
  const { statusCode, tempFilePath } = downloaded;
  if (statusCode === 401) {
    clearParentSession();
    throw new ApiError({ status: 401, code: 'UNAUTHENTICATED', message: '登录已失效，请重新登录' });
  }
  if (statusCode === 404) throw new ApiError({ status: 404, code: 'NOT_FOUND', message: '未找到该收据' });
  if (statusCode < 200 || statusCode >= 300) {
    throw new ApiError({ status: statusCode, code: statusCode >= 500 ? 'INTERNAL' : 'INVALID_RESPONSE', message: `收据下载失败（${statusCode}）` });
  }
  try {
    await Taro.openDocument({ filePath: tempFilePath, fileType: 'pdf', showMenu: true });
  } catch (err) {
    console.warn('[receipt] openDocument failed', err);
    throw new Error('无法打开收据文件，请稍后重试');
  }
};
