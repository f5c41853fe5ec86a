import type { Bill, BillStatus, FeeCategory } from '@campuspay/shared';

export interface ConcessionEntry {
  id: string;
  kind: Bill['concessions'][number]['kind'];
  label: string;
  amountFen: number;
  reason: string;
  status: 'applied' | 'pending_approval' | 'rejected';
  requestedBy?: string | null;
  decidedBy?: string | null;
}

export type BillDoc = {
  _id: string;
  studentId: string;
  studentNo: string;
  studentName: string;
  orgPath: string[];
  campusId: string;
  groupId: string;
  feeItemId: string;
  feeItemName: string;
  category: FeeCategory;
  period: string;
  periodLabel: string;
  payeeAccountId: string;
  dueDate: string;
  mandatory: boolean;
  allowPartial: boolean;
  minPaymentFen: number | null;
  refundable: boolean;
  amountDueFen: number;
  concessionFen: number;
  paidFen: number;
  refundedFen: number;
  outstandingFen: number;
  status: BillStatus;
  concessions: ConcessionEntry[];
  published: boolean;
  batchId: string | null;
  version: number;
  ledgerIds: string[];
  pendingLedger: (Record<string, unknown> & { _id: string })[];
  openOrderId: string | null;
};

export function toBill(doc: BillDoc, classNames: Map<string, string> = new Map()): Bill {
  return {
    id: doc._id,
    studentId: doc.studentId,
    studentNo: doc.studentNo,
    studentName: doc.studentName,
    className: classNames.get(doc.orgPath[doc.orgPath.length - 1] ?? '') ?? '',
    feeItemId: doc.feeItemId,
    feeItemName: doc.feeItemName,
    category: doc.category,
    period: doc.period,
    periodLabel: doc.periodLabel,
    payeeAccountId: doc.payeeAccountId,
    dueDate: doc.dueDate,
    mandatory: doc.mandatory,
    allowPartial: doc.allowPartial,
    minPaymentFen: doc.minPaymentFen ?? null,
    amountDueFen: doc.amountDueFen,
    concessionFen: doc.concessionFen,
    paidFen: doc.paidFen,
    refundedFen: doc.refundedFen,
    outstandingFen: doc.outstandingFen,
    status: doc.status,
    concessions: doc.concessions.map((c) => ({ id: c.id, kind: c.kind, label: c.label, amountFen: c.amountFen, reason: c.reason, status: c.status })),
    published: doc.published,
    batchId: doc.batchId ?? null,
  };
}
