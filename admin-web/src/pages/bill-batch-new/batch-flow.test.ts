import test from 'ava';
import { jobPercent } from '../../services/jobs.ts';
import type { BillBatch, ConcessionRule, FeeItem } from '@campuspay/shared';
import type { Job } from '../../services/jobs.ts';
import {
  EMPTY_DRAFT,
  batchReducer,
  batchRequestOf,
  previewWarning,
  publishProgressText,
  publishResultOf,
  publishableFeeItems,
  ruleRequestOf,
  rulesFor,
  type BatchState,
} from './batch-flow.ts';

const batch: BillBatch = {
  id: 'batch_1',
  feeItemId: 'fee_1',
  feeItemName: '秋季学费',
  status: 'draft',
  preview: { bills: 120, totalFen: 57600000, concessionFen: 240000, skippedExisting: 3, skippedNoPrice: 1 },
  jobId: null,
  createdAt: '2026-08-20T02:00:00.000Z',
  publishedAt: null,
};

function job(partial: Partial<Job>): Job {
  return { id: 'job_1', type: 'bill-batch.publish', status: 'running', progress: { done: 0, total: 0, message: '' }, result: null, lastError: null, ...partial };
}

test('the batch request dedupes and trims', (t) => {
  const result = batchRequestOf({
    ...EMPTY_DRAFT,
    feeItemId: 'fee_1',
    nodeIds: ['g1', 'g1', 'c2'],
    students: [{ id: 's1', studentNo: 'E1', name: '张三', className: '1班' }],
    excluded: [{ id: 's9', studentNo: 'E9', name: '李四', className: '2班' }],
    ruleIds: ['r1'],
    note: '  秋季  ',
  });
  t.deepEqual(result, {
    ok: true,
    value: { feeItemId: 'fee_1', target: { nodeIds: ['g1', 'c2'], studentIds: ['s1'], excludeStudentIds: ['s9'] }, concessionRuleIds: ['r1'], note: '秋季' },
  });
});

test('a batch needs a fee item and a target', (t) => {
  const noTarget = batchRequestOf({ ...EMPTY_DRAFT, feeItemId: 'fee_1' });
  t.false(noTarget.ok);
  if (!noTarget.ok) t.regex(noTarget.issues.map((i) => i.message).join(), /请选择发布对象/);
  const noItem = batchRequestOf({ ...EMPTY_DRAFT, nodeIds: ['g1'] });
  t.false(noItem.ok);
  if (!noItem.ok) t.regex(noItem.issues.map((i) => i.message).join(), /请选择收费项目/);
});

test('the flow: preview, publish with progress, done', (t) => {
  let state: BatchState = { step: 'compose' };
  state = batchReducer(state, { type: 'preview' });
  t.is(state.step, 'previewing');
  state = batchReducer(state, { type: 'previewed', batch });
  t.is(state.step, 'previewed');
  state = batchReducer(state, { type: 'publishing', batch: { ...batch, status: 'publishing', jobId: 'job_1' } });
  t.deepEqual(state.step === 'publishing' && state.jobId, 'job_1');
  state = batchReducer(state, { type: 'progress', job: job({ id: 'other' }) });
  t.is(state.step === 'publishing' ? state.job : 'x', null, 'another job is ignored');
  state = batchReducer(state, { type: 'progress', job: job({ progress: { done: 60, total: 120, message: '' } }) });
  t.is(state.step === 'publishing' ? jobPercent(state.job) : -1, 50);
  state = batchReducer(state, { type: 'edit' });
  t.is(state.step, 'publishing', 'inputs are locked while publishing');
  state = batchReducer(state, { type: 'progress', job: job({ status: 'succeeded', result: { bills: 120, inserted: 120, totalFen: 57600000 } }) });
  t.deepEqual(state.step === 'published' && state.result, { bills: 120, inserted: 120, totalFen: 57600000 });
  state = batchReducer(state, { type: 'edit' });
  t.is(state.step, 'compose');
});

test('editing after a preview discards it', (t) => {
  const state = batchReducer({ step: 'previewed', batch }, { type: 'edit' });
  t.is(state.step, 'compose');
});

test('a failed preview returns to compose; a failed job can be published again', (t) => {
  t.is(batchReducer({ step: 'previewing' }, { type: 'error', message: 'x' }).step, 'compose');
  const failed = batchReducer({ step: 'publishing', batch, jobId: 'job_1', job: null }, { type: 'progress', job: job({ status: 'failed', lastError: '数据库不可用' }) });
  t.deepEqual(failed, { step: 'failed', batch, message: '数据库不可用' });
  const again = batchReducer(failed, { type: 'publishing', batch: { ...batch, status: 'publishing', jobId: 'job_2' } });
  t.is(again.step === 'publishing' && again.jobId, 'job_2');
});

test('publishing an already published batch goes straight to done', (t) => {
  const state = batchReducer({ step: 'previewed', batch }, { type: 'publishing', batch: { ...batch, status: 'published' } });
  t.is(state.step, 'published');
});

test('progress texts', (t) => {
  t.is(publishProgressText(null), '排队中…');
  t.is(publishProgressText(job({ progress: { done: 5000, total: 12000, message: '已发布 5000 / 12000 张账单' } })), '已发布 5000 / 12000 张账单');
  t.is(publishProgressText(job({ progress: { done: 1, total: 2, message: '' } })), '已发布 1 / 2 张账单');
  t.is(jobPercent(job({ status: 'succeeded' })), 100);
  t.deepEqual(publishResultOf('nonsense', batch), { bills: 120, inserted: 120, totalFen: 57600000 });
});

test('preview warnings when nothing would be issued', (t) => {
  t.is(previewWarning(batch), null);
  t.regex(previewWarning({ ...batch, preview: { ...batch.preview, bills: 0, skippedNoPrice: 0 } }) ?? '', /都已有/);
  t.regex(previewWarning({ ...batch, preview: { ...batch.preview, bills: 0 } }) ?? '', /价格/);
  t.regex(previewWarning({ ...batch, preview: { bills: 0, totalFen: 0, concessionFen: 0, skippedExisting: 0, skippedNoPrice: 0 } }) ?? '', /没有在读学生/);
});

test('rules and fee items on offer', (t) => {
  const rules: ConcessionRule[] = [
    { id: 'r1', nodeId: 'g', kind: 'sibling', label: '二孩九折', percentBp: 1000, amountFen: null, order: 1, categories: [] },
    { id: 'r2', nodeId: 'g', kind: 'staff_child', label: '教职工子女', percentBp: null, amountFen: 50000, order: 2, categories: ['meals'] },
  ];
  t.deepEqual(rulesFor(rules, 'tuition').map((r) => r.id), ['r1']);
  t.deepEqual(rulesFor(rules, 'meals').map((r) => r.id), ['r1', 'r2']);
  const items = [
    { id: 'a', nodeId: 'group', archived: false },
    { id: 'b', nodeId: 'east', archived: false },
    { id: 'c', nodeId: 'west', archived: false },
    { id: 'd', nodeId: 'east', archived: true },
  ] as FeeItem[];
  t.deepEqual(publishableFeeItems(items, ['bank', 'group', 'east']).map((i) => i.id), ['a', 'b']);
  t.deepEqual(publishableFeeItems(items, undefined).map((i) => i.id), ['a', 'b', 'c']);
});

test('a concession rule is a percentage or a fixed amount', (t) => {
  t.deepEqual(ruleRequestOf({ nodeId: 'g', kind: 'sibling', label: ' 二孩九折 ', mode: 'percent', percent: '10', order: 1, categories: ['tuition'] }), {
    ok: true,
    value: { nodeId: 'g', kind: 'sibling', label: '二孩九折', percentBp: 1000, amountFen: null, order: 1, categories: ['tuition'] },
  });
  const fixed = ruleRequestOf({ nodeId: 'g', kind: 'staff_child', label: '教职工', mode: 'amount', amountYuan: '500', percent: '10' });
  t.true(fixed.ok);
  if (fixed.ok) t.deepEqual([fixed.value.percentBp, fixed.value.amountFen, fixed.value.order], [null, 50000, 10]);
  const bad = ruleRequestOf({ kind: 'other', mode: 'percent', percent: '120' });
  t.false(bad.ok);
  if (!bad.ok) t.deepEqual(bad.issues.map((i) => i.path.join('.')).sort(), ['label', 'nodeId', 'percent']);
});
