import type { OrgNodeKind } from '@campuspay/shared';

/** Chinese names of organisation-tree levels (not in the shared contract yet). */
export const ORG_NODE_KIND_LABELS: Readonly<Record<OrgNodeKind, string>> = {
  bank: '银行',
  branch: '支行',
  school_group: '教育集团',
  campus: '校区',
  division: '学部',
  grade: '年级',
  class: '班级',
};
