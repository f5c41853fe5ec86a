import type { ServerDeps } from '../../deps.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { PaymentExceptionModel, type ExceptionKind } from './payment-exception.model.ts';

export interface RaiseException {
  /** Deterministic, so the same problem raised twice is one queue item. */
  id: string;
  kind: ExceptionKind;
  summary: string;
  evidence: Record<string, unknown>;
  orgPath: string[];
  orderId?: string | null;
  billId?: string | null;
  refundId?: string | null;
  /** What the platform already did about it (e.g. refunded automatically). */
  action?: string;
}

export function exceptionsService(deps: ServerDeps) {
  const model = PaymentExceptionModel(deps.db);

  async function raise(item: RaiseException): Promise<void> {
    const { action, ...rest } = item;
    try {
      await model.create({ _id: item.id, ...rest, actions: action ? [{ at: new Date(), by: 'system', action }] : [] });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async function list(scope: StaffScope, filter: { status?: string; kind?: string }) {
    const query: Record<string, unknown> = scope.filter();
    if (filter.status) query.status = filter.status;
    if (filter.kind) query.kind = filter.kind;
    const docs = await model.find(query).sort({ createdAt: -1 }).limit(500).lean();
    return docs.map((d) => ({
      id: d._id,
      kind: d.kind,
      status: d.status,
      summary: d.summary,
      evidence: d.evidence,
      orderId: d.orderId ?? null,
      billId: d.billId ?? null,
      refundId: d.refundId ?? null,
      actions: d.actions,
      resolution: d.resolution ?? null,
      createdAt: (d as unknown as { createdAt: Date }).createdAt.toISOString(),
    }));
  }

  async function resolve(scope: StaffScope, id: string, resolution: string): Promise<void> {
    const doc = await model.findById(id).lean();
    scope.assert(doc?.orgPath, '异常');
    if (doc!.status === 'resolved') throw new AppError('STATE_CONFLICT', '该异常已处理');
    await model.updateOne(
      { _id: id },
      { $set: { status: 'resolved', resolvedBy: scope.principal.userId, resolvedAt: new Date(), resolution }, $push: { actions: { at: new Date(), by: scope.principal.username, action: resolution } } },
    );
    await auditService(deps.db).append(scope.principal, { action: 'exception.resolve', objectType: 'payment_exception', objectId: id, orgPath: doc!.orgPath, before: { status: 'open' }, after: { status: 'resolved' }, reason: resolution });
  }

  return { raise, list, resolve };
}
