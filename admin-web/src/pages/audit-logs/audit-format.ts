/**
 * How the audit log reads in Chinese: action and object names, the JSON of
 * before/after, what changed, and the hash-chain verdict. Pure, unit tested.
 */
import { STAFF_ROLE_LABELS, type StaffRole } from '@campuspay/shared';
import type { AuditChainVerification } from '../../services/audit.ts';

/** Actions the services write (see server modules); others show as recorded. */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  'org.create': '新建组织节点',
  'org.update': '修改组织节点',
  'org.archive': '归档组织节点',
  'student.create': '新增学生',
  'student.update': '修改学生信息',
  'student.move': '学生调班',
  'student.import': '导入学生名册',
  'personal-data.reveal': '查看敏感信息明文',
  'user.create': '新建工作人员账号',
  'user.update': '修改工作人员账号',
  'user.password.change': '修改本人密码',
  'user.password.reset': '重置他人密码',
  // Route-level records (no detailed entry from the service).
  'POST /admin/auth/switch-grant': '切换角色授权',
  'POST /admin/auth/logout': '退出登录',
};

export const OBJECT_TYPE_LABELS: Readonly<Record<string, string>> = {
  org_node: '组织节点',
  student: '学生',
  guardian: '监护人',
  staff_user: '工作人员账号',
  job: '后台任务',
  // Routes without a detailed entry are recorded under their OpenAPI tag.
  'staff auth': '登录认证',
  organisation: '组织架构',
  students: '学生名册',
  guardians: '监护人',
  'staff accounts': '工作人员账号',
};

const HTTP_METHOD_LABELS: Readonly<Record<string, string>> = { POST: '提交', PATCH: '修改', PUT: '替换', DELETE: '删除' };

/** "新增学生", or for a route-level record "提交 /admin/auth/logout". */
export function actionLabel(action: string): string {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const route = /^(POST|PATCH|PUT|DELETE) (\/\S+)$/.exec(action);
  if (route?.[1] && route[2]) return `${HTTP_METHOD_LABELS[route[1]] ?? route[1]} ${route[2]}`;
  return action;
}

export function objectTypeLabel(objectType: string): string {
  return OBJECT_TYPE_LABELS[objectType] ?? objectType;
}

export function roleLabel(role: string): string {
  return (STAFF_ROLE_LABELS as Record<string, string>)[role as StaffRole] ?? role;
}

/** Indented JSON for display; `null` when there is nothing to show. */
export function prettyJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Top-level fields whose value differs between before and after (in `after`'s order, then removed ones). */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** Query values for a picked date range (business days, both inclusive). */
export function dayRangeQuery(range: readonly (string | null | undefined)[] | undefined): { from?: string; to?: string } {
  const [from, to] = range ?? [];
  return { ...(from ? { from: from.slice(0, 10) } : {}), ...(to ? { to: to.slice(0, 10) } : {}) };
}

/** The verdict line of a hash-chain check. */
export function verificationText(result: AuditChainVerification): string {
  if (result.ok) return `哈希链完整：已校验 ${result.entries} 条记录，未发现篡改。`;
  const where = result.brokenAt !== null ? `第 ${result.brokenAt} 条记录处断开` : '哈希链断开';
  return `哈希链校验失败：${where}${result.problem ? `（${result.problem}）` : ''}。该处及之后的记录可能被篡改或删除，请立即联系平台管理员。`;
}
