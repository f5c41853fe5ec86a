import { z } from 'zod';
import type { ParentLoginResponse } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { authService } from '../auth/auth.service.ts';
import type { ParentPrincipal } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { StudentModel, studentId } from '../people/student.model.ts';
import type { MiniProgramApi } from '../wechat/mini-program.client.ts';
import { BindAttemptModel, ParentChildModel, ParentModel, parentChildId } from './parent.model.ts';

export const childSchema = z.object({
  id: z.string(),
  name: z.string(),
  studentNo: z.string(),
  schoolName: z.string(),
  campusName: z.string(),
  className: z.string(),
});
export type Child = z.infer<typeof childSchema>;

/** Limits on failed binding attempts, so student numbers cannot be probed. */
const BIND_WINDOW_MS = 3600_000;
const MAX_FAILURES_PER_PARENT = 10;
const MAX_FAILURES_PER_STUDENT = 5;

const NO_MATCH = () => new AppError('NOT_FOUND', '未找到匹配的学生，请核对学校代码、学号和姓名');

export function parentsService(deps: ServerDeps, wechat: MiniProgramApi) {
  const parents = ParentModel(deps.db);
  const links = ParentChildModel(deps.db);
  const attempts = BindAttemptModel(deps.db);
  const students = StudentModel(deps.db);
  const nodes = OrgNodeModel(deps.db);
  const auth = authService(deps);

  async function loginWithWechat(code: string): Promise<ParentLoginResponse> {
    const { openid, unionid } = await wechat.code2Session(code);
    let parent = await parents.findOne({ openid }).lean();
    if (!parent) {
      try {
        parent = (await parents.create({ openid, unionid, appid: deps.config.wechatAppId ?? null })).toObject();
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        parent = await parents.findOne({ openid }).lean();
      }
    }
    if (!parent) throw new AppError('INTERNAL', '登录失败，请重试');
    await parents.updateOne({ _id: parent._id }, { $set: { lastLoginAt: new Date() } });
    const token = await auth.openSession('parent', String(parent._id), null);
    return { token, parent: { id: String(parent._id) } };
  }

  async function childIds(parentId: string): Promise<string[]> {
    return (await links.find({ parentId }).lean()).map((l) => l.studentId);
  }

  /** A child of this parent, or 404: another family's child does not exist for them. */
  async function assertOwnChild(principal: ParentPrincipal, studentIdValue: string): Promise<void> {
    const link = await links.findById(parentChildId(principal.parentId, studentIdValue)).lean();
    if (!link) throw notFound('孩子');
  }

  async function children(principal: ParentPrincipal): Promise<Child[]> {
    const ids = await childIds(principal.parentId);
    if (ids.length === 0) return [];
    const docs = [...(await findByIds<{ _id: string; name: string; studentNo: string; orgPath: string[] }>(deps.db, students.collection.collectionName, ids, { name: 1, studentNo: 1, orgPath: 1 })).values()];
    const nodeById = await findByIds<{ _id: string; kind: string; name: string }>(deps.db, nodes.collection.collectionName, docs.flatMap((d) => d.orgPath), { kind: 1, name: 1 });
    const named = (path: string[], kind: string) => path.map((id) => nodeById.get(id)).find((n) => n?.kind === kind)?.name ?? '';
    return docs.map((d) => ({
      id: String(d._id),
      name: d.name,
      studentNo: d.studentNo,
      schoolName: named(d.orgPath, 'school_group'),
      campusName: named(d.orgPath, 'campus'),
      className: named(d.orgPath, 'class'),
    }));
  }

  async function checkRate(parentId: string, studentKey: string): Promise<void> {
    const since = new Date(Date.now() - BIND_WINDOW_MS);
    const [byParent, byStudent] = await Promise.all([
      attempts.countDocuments({ parentId, success: false, at: { $gte: since } }),
      attempts.countDocuments({ studentKey, success: false, at: { $gte: since } }),
    ]);
    if (byParent >= MAX_FAILURES_PER_PARENT || byStudent >= MAX_FAILURES_PER_STUDENT) {
      throw new AppError('RATE_LIMITED', '尝试次数过多，请一小时后再试，或联系学校获取邀请码', { headers: { 'Retry-After': '3600' } });
    }
  }

  async function link(principal: ParentPrincipal, id: string, via: 'student-no' | 'invite-code'): Promise<Child> {
    await links
      .create({ _id: parentChildId(principal.parentId, id), parentId: principal.parentId, studentId: id, via })
      .catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
    const child = (await children(principal)).find((c) => c.id === id);
    if (!child) throw NO_MATCH();
    return child;
  }

  /** A wrong name and an unknown student give the same answer, and both count against the limits. */
  async function bindByStudentNo(principal: ParentPrincipal, input: { schoolCode: string; studentNo: string; studentName: string }): Promise<Child> {
    const studentKey = `${input.schoolCode.trim().toUpperCase()}/${input.studentNo.trim()}`;
    await checkRate(principal.parentId, studentKey);
    const campus = await nodes.findOne({ schoolCodeKey: `code:${input.schoolCode.trim().toUpperCase()}` }).lean();
    const student = campus ? await students.findById(studentId(String(campus._id), input.studentNo.trim())).lean() : null;
    const matches = student && student.status === 'enrolled' && student.name === input.studentName.trim();
    await attempts.create({ parentId: principal.parentId, studentKey, success: Boolean(matches), at: new Date() });
    if (!matches) throw NO_MATCH();
    return link(principal, String(student._id), 'student-no');
  }

  async function bindByInviteCode(principal: ParentPrincipal, input: { inviteCode: string; studentName: string }): Promise<Child> {
    const code = input.inviteCode.trim().toUpperCase();
    await checkRate(principal.parentId, `invite/${code}`);
    const student = await students.findOne({ inviteCode: code }).lean();
    const matches = student && student.status === 'enrolled' && student.name === input.studentName.trim();
    await attempts.create({ parentId: principal.parentId, studentKey: `invite/${code}`, success: Boolean(matches), at: new Date() });
    if (!matches) throw new AppError('NOT_FOUND', '邀请码或姓名不正确');
    return link(principal, String(student._id), 'invite-code');
  }

  async function unbind(principal: ParentPrincipal, id: string): Promise<void> {
    await assertOwnChild(principal, id);
    await links.deleteOne({ _id: parentChildId(principal.parentId, id) });
  }

  return { loginWithWechat, children, childIds, assertOwnChild, bindByStudentNo, bindByInviteCode, unbind };
}

export type ParentsService = ReturnType<typeof parentsService>;
