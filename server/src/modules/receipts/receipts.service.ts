import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { businessDay, displayYuan, maskName, PAYMENT_METHOD_LABELS, shanghai, yuanInChineseCapitals, type PaymentMethod } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { notFound } from '../../platform/errors.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { ReceiptModel } from './receipt.model.ts';

export interface ReceiptInput {
  source: 'counter' | 'online';
  sourceId: string;
  studentId: string;
  studentName: string;
  studentNo: string;
  orgPath: string[];
  payerName?: string | null;
  lines: { billId: string; feeItemName: string; periodLabel: string; amountFen: number }[];
  method: PaymentMethod;
  transactionId?: string | null;
  reference?: string | null;
  paidAt: Date;
}

export type ReceiptDoc = ReceiptInput & {
  _id: string;
  schoolName: string;
  campusName: string;
  className: string;
  totalFen: number;
  verificationCode: string;
  voided: boolean;
  fiscalStatus: 'not_required' | 'pending' | 'issued' | 'failed';
};

/**
 * Where a public school's receipt would also be issued as a provincial fiscal
 * e-bill. Not built: receipts are marked `not_required` until a province's
 * platform is connected behind this interface.
 */
export interface FiscalEbillIssuer {
  issue(receipt: ReceiptDoc): Promise<{ ebillNo: string; url: string }>;
}

const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

export function receiptsService(deps: ServerDeps) {
  const receipts = ReceiptModel(deps.db);
  const nodes = OrgNodeModel(deps.db);

  function numberFor(source: string, sourceId: string, paidAt: Date): string {
    const digest = createHash('sha256').update(`${source}\n${sourceId}`).digest('hex').toUpperCase();
    return `R${businessDay(paidAt).replace(/-/g, '')}${digest.slice(0, 10)}`;
  }

  function codeFor(receiptNo: string, totalFen: number): string {
    return createHmac('sha256', Buffer.from(deps.config.lookupHashKey, 'base64')).update(`${receiptNo}\n${totalFen}`).digest('hex').slice(0, 8).toUpperCase();
  }

  /** Issues the receipt for a payment, or returns the one already issued for it. */
  async function issue(input: ReceiptInput): Promise<ReceiptDoc> {
    // The number follows from the payment, so a retry finds its receipt by `_id`.
    const _id = numberFor(input.source, input.sourceId, input.paidAt);
    const existing = await receipts.findById(_id).lean<ReceiptDoc>();
    if (existing) return existing;
    const named = [...(await findByIds<{ _id: string; kind: string; name: string }>(deps.db, nodes.collection.collectionName, input.orgPath, { kind: 1, name: 1 })).values()];
    const nameOf = (kind: string) => named.find((n) => n.kind === kind)?.name ?? '';
    const totalFen = input.lines.reduce((n, l) => n + l.amountFen, 0);
    const doc: ReceiptDoc = {
      ...input,
      _id,
      schoolName: nameOf('school_group'),
      campusName: nameOf('campus'),
      className: `${nameOf('grade')}${nameOf('class')}`,
      totalFen,
      verificationCode: codeFor(_id, totalFen),
      voided: false,
      fiscalStatus: 'not_required',
    };
    try {
      await receipts.create(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return (await receipts.findOne({ sourceId: input.sourceId }).lean<ReceiptDoc>())!;
    }
    return doc;
  }

  async function voidFor(sourceId: string): Promise<void> {
    await receipts.updateOne({ sourceId }, { $set: { voided: true } });
  }

  async function get(receiptNo: string): Promise<ReceiptDoc> {
    const doc = await receipts.findById(receiptNo).lean<ReceiptDoc>();
    if (!doc) throw notFound('收据');
    return doc;
  }

  /** Public check of a paper receipt: only what the holder already has, and a masked name. */
  async function verify(receiptNo: string, code: string) {
    const doc = await receipts.findById(receiptNo.trim().toUpperCase()).lean<ReceiptDoc>();
    const valid = Boolean(doc && doc.verificationCode === code.trim().toUpperCase());
    if (!doc || !valid) return { valid: false as const };
    return {
      valid: true as const,
      voided: doc.voided,
      receiptNo: doc._id,
      schoolName: doc.schoolName,
      studentName: maskName(doc.studentName),
      totalFen: doc.totalFen,
      paidAt: doc.paidAt.toISOString(),
    };
  }

  async function pdf(doc: ReceiptDoc): Promise<Buffer> {
    const pdfDoc = new PDFDocument({ size: 'A5', layout: 'landscape', margin: 36, info: { Title: `收据 ${doc._id}` } });
    const chunks: Buffer[] = [];
    pdfDoc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) => pdfDoc.on('end', () => resolve(Buffer.concat(chunks))));
    if (existsSync(CJK_FONT)) pdfDoc.font(CJK_FONT, 'NotoSansCJKsc-Regular');
    const width = pdfDoc.page.width - 72;
    pdfDoc.fontSize(18).text(`${doc.schoolName} 缴费收据`, { align: 'center', width });
    pdfDoc.moveDown(0.3).fontSize(9).fillColor('#555').text(`收据号 ${doc._id}    验证码 ${doc.verificationCode}${doc.voided ? '    【已作废】' : ''}`, { align: 'center', width });
    pdfDoc.moveDown(0.8).fillColor('#000').fontSize(11);
    pdfDoc.text(`学生：${doc.studentName}（学号 ${doc.studentNo}）  ${doc.campusName} ${doc.className}`);
    if (doc.payerName) pdfDoc.text(`缴款人：${doc.payerName}`);
    pdfDoc.text(`缴费时间：${shanghai(doc.paidAt).format('YYYY-MM-DD HH:mm:ss')}    缴费方式：${PAYMENT_METHOD_LABELS[doc.method]}`);
    if (doc.transactionId) pdfDoc.text(`微信支付单号：${doc.transactionId}`);
    if (doc.reference) pdfDoc.text(`凭证号：${doc.reference}`);
    pdfDoc.moveDown(0.5);
    for (const line of doc.lines) pdfDoc.text(`${line.feeItemName}（${line.periodLabel}）`, { continued: true }).text(displayYuan(line.amountFen), { align: 'right' });
    pdfDoc.moveDown(0.5).fontSize(12).text(`合计：${displayYuan(doc.totalFen)}    大写：${yuanInChineseCapitals(doc.totalFen)}`);
    pdfDoc.moveDown(1).fontSize(8).fillColor('#777').text(`可在平台“收据验证”中输入收据号和验证码核验真伪。`);
    pdfDoc.end();
    return done;
  }

  return { issue, voidFor, get, verify, pdf };
}
