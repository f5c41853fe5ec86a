/**
 * What 数据导入 needs besides the requests, pure and unit tested: the
 * header-only CSV templates, the schools a baseline or a staff list can be
 * set for, the checks run before sending, and the words of each outcome.
 */
import { displayYuan, setBaselineRequestSchema, type BalanceImportResult, type CampaignImportResult, type OrgNode } from '@campuspay/shared';

/** The headers the server reads (it also knows a few synonyms, e.g. 日终余额). */
export const BALANCE_COLUMNS = ['账号', '日期', '余额'] as const;
export const CAMPAIGN_COLUMNS = ['手机号', '产品', '日期'] as const;
export const STAFF_LIST_COLUMNS = ['手机号'] as const;

/** A header-only CSV. The BOM makes Excel open it as UTF-8, so the Chinese headers survive a round trip. */
export function csvTemplate(columns: readonly string[]): string {
  return `\uFEFF${columns.join(',')}\r\n`;
}

export interface SchoolChoice {
  value: string;
  label: string;
}

/**
 * School groups and campuses (what a baseline or a staff list belongs to),
 * each campus under its group's name, in tree order; archived ones left out.
 */
export function schoolChoices(nodes: readonly OrgNode[]): SchoolChoice[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const order = (node: OrgNode) => node.path.map((id) => byId.get(id)?.sortOrder ?? 0);
  const compare = (a: OrgNode, b: OrgNode) => {
    const pa = order(a);
    const pb = order(b);
    for (let i = 0; i < Math.min(pa.length, pb.length); i += 1) {
      if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
      if (a.path[i] !== b.path[i]) return a.path[i]! < b.path[i]! ? -1 : 1;
    }
    return pa.length - pb.length;
  };
  return nodes
    .filter((node) => !node.archived && (node.kind === 'school_group' || node.kind === 'campus'))
    .sort(compare)
    .map((node) => {
      const parent = node.parentId ? byId.get(node.parentId) : undefined;
      const label = node.kind === 'campus' && parent?.kind === 'school_group' ? `${parent.name} / ${node.name}` : node.name;
      return { value: node.id, label };
    });
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** A baseline period as the server will check it: both days, in order, at most 366 days. */
export function readBaselinePeriod(nodeId: string | undefined, from: string | undefined, to: string | undefined): Checked<{ nodeId: string; from: string; to: string }> {
  if (!nodeId) return { ok: false, message: '请选择学校' };
  if (!from || !to) return { ok: false, message: '请选择基准期的开始和结束日期' };
  const parsed = setBaselineRequestSchema.safeParse({ nodeId, from, to });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? '基准期无效' };
  return { ok: true, value: parsed.data };
}

/** The campaign's name, as the server requires it (2–60 characters). */
export function readCampaignName(text: string | undefined): Checked<string> {
  const name = (text ?? '').trim();
  if (name.length < 2) return { ok: false, message: '请填写活动名称（至少 2 个字）' };
  if (name.length > 60) return { ok: false, message: '活动名称最多 60 个字' };
  return { ok: true, value: name };
}

export function balanceImportText(result: BalanceImportResult): string {
  const days = result.from === result.to ? result.from : `${result.from} 至 ${result.to}`;
  return `已导入 ${result.rows} 条日终余额（${result.accounts} 个账户，${days}）`;
}

export function campaignImportText(result: CampaignImportResult): string {
  const converted = result.leadsConverted > 0 ? `，${result.leadsConverted} 条已授权线索标记为已转化` : '';
  return `「${result.campaign}」${result.rows} 行中 ${result.matched} 行匹配到本范围学校的家长${converted}；未匹配的行不保存`;
}

/** An amount or a dash when there is no figure yet (no balances, no baseline). */
export function yuanOrDash(fen: number | null): string {
  return fen === null ? '—' : displayYuan(fen);
}
