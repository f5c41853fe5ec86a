import test from 'ava';
import type { PromotionPreview } from '@campuspay/shared';
import type { Job } from '../../services/jobs.ts';
import {
  canPromoteNode,
  confirmationMatches,
  INITIAL_PROMOTION_STATE,
  outcomeText,
  promotionProgressText,
  promotionReducer,
  summarisePreview,
  type PromotionState,
} from './promotion-flow.ts';

const PREVIEW: PromotionPreview = {
  nodeId: 'campus_east',
  planHash: 'hash-1',
  moves: [
    { fromClassId: 'g2c1', fromLabel: '小学部 二年级 1班', toClassId: 'g3c1', toLabel: '小学部 三年级 1班', students: 30, createsClass: false },
    { fromClassId: 'g1c1', fromLabel: '小学部 一年级 1班', toClassId: 'g2c1', toLabel: '小学部 二年级 1班', students: 28, createsClass: false },
    { fromClassId: 'g1c3', fromLabel: '小学部 一年级 3班', toClassId: null, toLabel: '小学部 二年级 3班（新建）', students: 12, createsClass: true },
  ],
  graduating: [{ classId: 'g6c1', label: '小学部 六年级 1班', students: 31 }],
  totals: { promoted: 70, graduated: 31, classesCreated: 1 },
};

const EMPTY: PromotionPreview = { nodeId: 'campus_east', planHash: 'hash-0', moves: [], graduating: [], totals: { promoted: 0, graduated: 0, classesCreated: 0 } };

function job(status: Job['status'], done = 0, total = 0, extra: Partial<Job> = {}): Job {
  return { id: 'job-1', type: 'academic-year.promote', status, progress: { done, total, message: '' }, result: null, lastError: null, ...extra };
}

function reviewed(preview: PromotionPreview = PREVIEW): PromotionState {
  return promotionReducer(INITIAL_PROMOTION_STATE, { type: 'loaded', preview });
}

test('the summary counts classes and students on each side', (t) => {
  t.deepEqual(summarisePreview(PREVIEW), {
    students: 101,
    promoted: 70,
    graduated: 31,
    promotedClasses: 3,
    graduatingClasses: 1,
    classesCreated: 1,
    text: '3 个班 70 名学生升一个年级，1 个班 31 名学生毕业，新建 1 个班级。',
  });
  t.is(summarisePreview(EMPTY).text, '没有在读学生需要升级或毕业。');
  const graduationOnly = { ...EMPTY, graduating: PREVIEW.graduating, totals: { promoted: 0, graduated: 31, classesCreated: 0 } };
  t.is(summarisePreview(graduationOnly).text, '1 个班 31 名学生毕业。');
});

test('preview → start → progress → succeeded with the job’s totals', (t) => {
  let state = reviewed();
  t.deepEqual(state, { step: 'review', preview: PREVIEW, error: null });
  state = promotionReducer(state, { type: 'start' });
  t.deepEqual(state, { step: 'starting', preview: PREVIEW });
  state = promotionReducer(state, { type: 'accepted', jobId: 'job-1' });
  t.deepEqual(state, { step: 'running', preview: PREVIEW, jobId: 'job-1', job: null });
  state = promotionReducer(state, { type: 'progress', job: job('running', 31, 101) });
  t.is(state.step === 'running' ? state.job?.progress.done : -1, 31);
  // A late answer about another job changes nothing.
  t.is(promotionReducer(state, { type: 'progress', job: { ...job('failed'), id: 'job-0' } }), state);
  // Previewing again is not offered while the job runs.
  t.is(promotionReducer(state, { type: 'load' }), state);
  state = promotionReducer(state, { type: 'progress', job: job('succeeded', 101, 101, { result: { promoted: 70, graduated: 31, classesCreated: 1 } }) });
  t.deepEqual(state, { step: 'succeeded', preview: PREVIEW, totals: { promoted: 70, graduated: 31, classesCreated: 1 } });
  t.is(outcomeText(state.step === 'succeeded' ? state.totals : null), '70 名学生已升一个年级，31 名学生已毕业，新建 1 个班级。');
});

test('a roster changed since the preview is its own state, left by previewing again', (t) => {
  let state = promotionReducer(reviewed(), { type: 'start' });
  state = promotionReducer(state, { type: 'start-failed', conflict: true, message: '名册在预览后发生了变化' });
  t.deepEqual(state, { step: 'stale', preview: PREVIEW, message: '名册在预览后发生了变化' });
  t.is(promotionReducer(state, { type: 'start' }), state, 'the stale plan cannot be confirmed');
  state = promotionReducer(state, { type: 'load' });
  t.deepEqual(state, { step: 'loading' });
  const fresh = { ...PREVIEW, planHash: 'hash-2' };
  t.deepEqual(promotionReducer(state, { type: 'loaded', preview: fresh }), { step: 'review', preview: fresh, error: null });
});

test('other failures: starting again is offered; a failed job or lost progress says why', (t) => {
  const starting = promotionReducer(reviewed(), { type: 'start' });
  t.deepEqual(promotionReducer(starting, { type: 'start-failed', conflict: false, message: '无法连接服务器' }), {
    step: 'review',
    preview: PREVIEW,
    error: '无法连接服务器',
  });
  const running = promotionReducer(starting, { type: 'accepted', jobId: 'job-1' });
  t.deepEqual(promotionReducer(running, { type: 'progress', job: job('failed', 10, 101, { lastError: ' 数据库不可用 ' }) }), {
    step: 'failed',
    preview: PREVIEW,
    message: '数据库不可用',
  });
  t.is((promotionReducer(running, { type: 'progress', job: job('failed') }) as { message: string }).message, '升级失败，请稍后重试。');
  t.deepEqual(promotionReducer(running, { type: 'lost', message: '无法获取进度' }), { step: 'failed', preview: PREVIEW, message: '无法获取进度' });
  const odd = promotionReducer(running, { type: 'progress', job: job('succeeded', 101, 101, { result: { done: true } }) });
  t.deepEqual(odd, { step: 'succeeded', preview: PREVIEW, totals: null });
  t.regex(outcomeText(null), /学生名册中核对/);
});

test('events out of turn change nothing; an empty plan cannot be started', (t) => {
  t.is(promotionReducer(INITIAL_PROMOTION_STATE, { type: 'start' }), INITIAL_PROMOTION_STATE);
  t.is(promotionReducer(INITIAL_PROMOTION_STATE, { type: 'accepted', jobId: 'job-1' }), INITIAL_PROMOTION_STATE);
  const review = reviewed();
  t.is(promotionReducer(review, { type: 'loaded', preview: EMPTY }), review);
  t.is(promotionReducer(review, { type: 'lost', message: 'x' }), review);
  const empty = reviewed(EMPTY);
  t.is(promotionReducer(empty, { type: 'start' }), empty);
  t.deepEqual(promotionReducer(INITIAL_PROMOTION_STATE, { type: 'load-failed', message: '没有权限' }), { step: 'load-failed', message: '没有权限' });
});

test('the confirmation is the node name, exactly, ignoring surrounding spaces', (t) => {
  t.true(confirmationMatches(' 明德东校区 ', '明德东校区'));
  t.false(confirmationMatches('明德东', '明德东校区'));
  t.false(confirmationMatches('明德东校区x', '明德东校区'));
  t.false(confirmationMatches('', ' '));
});

test('progress percent and text', (t) => {
  t.is(promotionProgressText(job('queued')), '排队中…');
  t.is(promotionProgressText(job('running', 31, 101)), '已处理 31 / 101 名学生');
  t.is(
    promotionProgressText({ status: 'running', progress: { done: 31, total: 101, message: '小学部 六年级 1班 毕业' } }),
    '小学部 六年级 1班 毕业（已处理 31 / 101 名学生）',
  );
});

test('offered on a live school group, campus or division in scope, to those allowed', (t) => {
  t.true(canPromoteNode({ kind: 'campus', archived: false }, true, true));
  t.true(canPromoteNode({ kind: 'school_group', archived: false }, true, true));
  t.true(canPromoteNode({ kind: 'division', archived: false }, true, true));
  t.false(canPromoteNode({ kind: 'grade', archived: false }, true, true));
  t.false(canPromoteNode({ kind: 'branch', archived: false }, true, true));
  t.false(canPromoteNode({ kind: 'campus', archived: true }, true, true));
  t.false(canPromoteNode({ kind: 'campus', archived: false }, false, true));
  t.false(canPromoteNode({ kind: 'campus', archived: false }, true, false));
});
