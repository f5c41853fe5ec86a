import type { BankInsightSettings, TagRules, UpdateBankInsightSettings } from '@campuspay/shared';
import type { ServerDeps } from '../../deps.ts';
import { compareAndSet } from '../../platform/db/compare-and-set.ts';
import { isDuplicateKeyError } from '../../platform/db/errors.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { auditService } from '../audit/audit.service.ts';
import type { StaffScope } from '../auth/principal.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { InsightSettingsModel } from './insight-settings.model.ts';

export const LEADS_RECOMPUTE_JOB = 'leads.recompute';

export const DEFAULT_TAG_RULES: TagRules = {
  highNetWorth: { enabled: true, annualFeesFen: 5_000_000, singleBillFen: 3_000_000, internationalDivision: true },
  studyAbroad: { enabled: true, internationalDivision: true, feeItemKeywords: ['留学', '出国', '游学', '海外', '国际课程', 'A-Level', 'IB'] },
  otherBankCard: { enabled: true, minPayments: 1 },
  multiChild: { enabled: true, minChildren: 2 },
  payrollProspect: { enabled: true },
};

/** WeChat Pay's standard rate; schools on a reduced or zero rate set theirs. */
export const DEFAULT_FEE_RATE_BP = 60;

export function defaultConsent(bankName: string) {
  return {
    version: 1,
    title: `同意${bankName}联系我介绍金融服务`,
    text: [
      `我同意${bankName}（本缴费平台的运营银行）根据我在本平台确认的手机号、孩子就读的学校和学部、以及我在本平台缴费的金额和支付方式的汇总情况，判断我可能需要的金融服务（例如银行卡、信用卡、留学金融、代发工资），并通过电话或短信联系我。`,
      '不同意也可以正常缴费，不影响任何学校服务。',
      '银行不会使用孩子的姓名、班级、成绩等信息。',
      '您可以随时在本页撤回同意，撤回后立即生效，银行将不再联系您。',
    ].join('\n'),
  };
}

type SettingsDoc = {
  _id: string;
  ownBankCodes: string[];
  wechatFeeRateBp: number;
  rules: TagRules;
  consent: { version: number; title: string; text: string };
  version: number;
  updatedBy: string | null;
  updatedAt?: Date;
};

export function bankOfPath(path: readonly string[]): string {
  const bank = path[0];
  if (!bank) throw new AppError('BAD_REQUEST', '无法确定所属银行');
  return bank;
}

/** Stored settings merged over the defaults, so rules added later get their defaults. */
function withDefaults(doc: SettingsDoc | null, bankId: string, bankName: string): BankInsightSettings {
  const rules = { ...DEFAULT_TAG_RULES } as Record<string, unknown>;
  for (const [k, v] of Object.entries(doc?.rules ?? {})) rules[k] = { ...(rules[k] as object), ...(v as object) };
  return {
    bankId,
    bankName,
    ownBankCodes: doc?.ownBankCodes ?? [],
    wechatFeeRateBp: doc?.wechatFeeRateBp ?? DEFAULT_FEE_RATE_BP,
    rules: rules as TagRules,
    consent: doc?.consent ?? defaultConsent(bankName),
    version: doc?.version ?? 0,
    updatedAt: doc?.updatedAt ? doc.updatedAt.toISOString() : null,
    updatedBy: doc?.updatedBy ?? null,
  };
}

export function settingsService(deps: Pick<ServerDeps, 'db'> & { jobs?: ServerDeps['jobs'] }) {
  const settings = InsightSettingsModel(deps.db);
  const nodes = OrgNodeModel(deps.db);
  const audit = auditService(deps.db);
  const cache = new Map<string, { at: number; value: BankInsightSettings }>();

  async function bankName(bankId: string): Promise<string> {
    const bank = await nodes.findById(bankId, { name: 1, kind: 1 }).lean<{ name: string; kind: string }>();
    if (!bank || bank.kind !== 'bank') throw notFound('银行');
    return bank.name;
  }

  async function get(bankId: string): Promise<BankInsightSettings> {
    const doc = await settings.findById(bankId).lean<SettingsDoc>();
    return withDefaults(doc, bankId, await bankName(bankId));
  }

  /** Settings for reads on hot paths (dashboards): a few seconds stale at most. */
  async function cached(bankId: string): Promise<BankInsightSettings> {
    const hit = cache.get(bankId);
    if (hit && Date.now() - hit.at < 5000) return hit.value;
    const value = await get(bankId);
    cache.set(bankId, { at: Date.now(), value });
    return value;
  }

  function bankFor(scope: StaffScope, bankId?: string): string {
    const own = bankOfPath(scope.principal.nodePath);
    if (bankId && bankId !== own) throw notFound('银行');
    return own;
  }

  /** Replaces a bank's settings; a changed consent text becomes a new version. Tags are recomputed in the background. */
  async function update(scope: StaffScope, input: UpdateBankInsightSettings): Promise<BankInsightSettings & { recomputeJobId: string | null }> {
    const bankId = bankFor(scope, input.bankId);
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = await get(bankId);
      const consentChanged = before.consent.title !== input.consent.title || before.consent.text !== input.consent.text;
      const consent = { version: before.consent.version + (consentChanged ? 1 : 0), title: input.consent.title, text: input.consent.text };
      const next = {
        ownBankCodes: [...new Set(input.ownBankCodes)],
        wechatFeeRateBp: input.wechatFeeRateBp,
        rules: input.rules,
        consent,
        updatedBy: scope.principal.username,
      };
      let ok = false;
      if (before.version === 0) {
        try {
          await settings.create({ _id: bankId, ...next, version: 1 });
          ok = true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      } else {
        ok = Boolean(await compareAndSet(deps.db, settings, bankId, { version: before.version }, { $set: next, $inc: { version: 1 } }));
      }
      if (!ok) continue;
      cache.delete(bankId);
      const after = await get(bankId);
      await audit.append(scope.principal, {
        action: 'insights.settings.update',
        objectType: 'insight_settings',
        objectId: bankId,
        orgPath: [bankId],
        before: { ownBankCodes: before.ownBankCodes, wechatFeeRateBp: before.wechatFeeRateBp, rules: before.rules, consentVersion: before.consent.version },
        after: { ownBankCodes: after.ownBankCodes, wechatFeeRateBp: after.wechatFeeRateBp, rules: after.rules, consentVersion: after.consent.version },
      });
      const job = deps.jobs ? await deps.jobs.enqueue(LEADS_RECOMPUTE_JOB, { bankId }, { id: `leads-recompute:${bankId}:v${after.version}`, scopeNodeId: bankId, createdBy: scope.principal.userId }) : null;
      return { ...after, recomputeJobId: job?.id ?? null };
    }
    throw new AppError('STATE_CONFLICT', '设置正被他人修改，请刷新后重试');
  }

  return { get, cached, update, bankFor };
}

export type SettingsService = ReturnType<typeof settingsService>;
