import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import type { ServerDeps } from '../../deps.ts';
import { defineModel } from '../../platform/db/connection.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/errors.ts';
import type { AnyRouteSpec } from '../../platform/http/route.ts';
import { canonicalJson } from '../audit/audit.service.ts';

const idempotencyRecordSchema = new Schema(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    status: { type: String, enum: ['pending', 'done'], required: true },
    responseStatus: { type: Number, default: null },
    responseBody: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, versionKey: false },
);
export const IdempotencyRecordModel = defineModel('IdempotencyRecord', 'idempotency_records', idempotencyRecordSchema);

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Money-moving POSTs accept `Idempotency-Key`: the first request with a key
 * claims it (a unique insert), later ones with the same key and body get the
 * first answer, and a different body under the same key is refused with 409
 * IDEMPOTENCY_KEY_REUSED. Keys belong to the caller, so two users cannot
 * collide. A failed first attempt releases the key for a retry.
 */
export function withIdempotency(deps: ServerDeps, specs: AnyRouteSpec[]): AnyRouteSpec[] {
  const records = IdempotencyRecordModel(deps.db);
  return specs.map((spec) => {
    if (!spec.idempotent) return spec;
    return {
      ...spec,
      handler: async (input) => {
        const key = input.ctx.get('idempotency-key');
        if (!key) return spec.handler(input);
        if (!KEY_PATTERN.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key 格式不正确（8–128 位字母、数字或 ._:-）');
        const state = input.ctx.state as { staff?: { userId: string }; parent?: { parentId: string } };
        const caller = state.staff?.userId ?? state.parent?.parentId ?? 'anonymous';
        const id = createHash('sha256').update(`${caller}\n${spec.method} ${spec.path}\n${key}`).digest('hex');
        const requestHash = createHash('sha256').update(canonicalJson({ params: input.params, body: input.body })).digest('hex');
        try {
          await records.create({ _id: id, requestHash, status: 'pending' });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          const first = await records.findById(id).lean();
          if (first?.requestHash !== requestHash) {
            throw new AppError('IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个请求');
          }
          if (first.status !== 'done') throw new AppError('STATE_CONFLICT', '相同的请求正在处理中，请稍后查询结果');
          input.ctx.status = first.responseStatus ?? 200;
          input.ctx.set('Idempotent-Replay', 'true');
          input.ctx.body = first.responseBody ?? undefined;
          return undefined;
        }
        try {
          const result = await spec.handler(input);
          await records.updateOne({ _id: id }, { $set: { status: 'done', responseStatus: spec.status ?? (result === undefined ? 204 : 200), responseBody: result ?? null } });
          return result;
        } catch (error) {
          await records.deleteOne({ _id: id });
          throw error;
        }
      },
    };
  });
}
