import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WechatPayGateway } from '../wechatpay/wechatpay-gateway.ts';
import { BillRejected } from './bill-amounts.ts';

export interface DownloadedBill {
  file: string;
  hashType: string;
  hashValue: string;
  bytes: number;
}

/**
 * Applies for a day's bill and streams it to `file`, hashing on the way, then
 * checks the SHA1 WeChat gave. Null when WeChat has no bill for the day. A
 * mismatch (or another hash type) rejects the bill before anyone reads it.
 */
export async function downloadBill(gateway: WechatPayGateway, mchid: string, kind: 'tradebill' | 'fundflowbill', day: string, file: string): Promise<DownloadedBill | null> {
  const bill = await gateway.streamBill(mchid, kind, day);
  if (!bill) return null;
  if (bill.hashType.toUpperCase() !== 'SHA1') {
    bill.body.destroy();
    throw new BillRejected(`账单的校验方式“${bill.hashType}”不是 SHA1，无法校验`, { hashType: bill.hashType });
  }
  const hash = createHash('sha1');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(bill.body, tap, createWriteStream(file));
  const actual = hash.digest('hex');
  if (actual.toLowerCase() !== bill.hashValue.toLowerCase()) {
    throw new BillRejected(`${kind === 'tradebill' ? '交易账单' : '资金账单'} SHA1 校验失败：微信给出 ${bill.hashValue}，下载内容为 ${actual}（${bytes} 字节），已拒绝该账单`, {
      expected: bill.hashValue,
      actual,
      bytes,
    });
  }
  return { file, hashType: 'SHA1', hashValue: actual, bytes };
}
