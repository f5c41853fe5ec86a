import { CARD_CLASS_LABELS, displayYuan, type LeadTag, type TagEvidence, type TagRules } from '@campuspay/shared';
import { classifyBankType } from '../insights/figures.ts';

/** Where a child studies: only the school group, campus and division are ever used or shown. */
export interface ChildPlace {
  groupId: string;
  groupName: string;
  campusId: string;
  campusName: string;
  divisionId: string;
  divisionName: string;
  international: boolean;
}

/** Everything the rules look at for one family (a parent and their bound children at one bank's schools). */
export interface FamilyFacts {
  children: ChildPlace[];
  windowFrom: string;
  windowTo: string;
  /** Payments − reversals − refunds on the children's bills within the window. */
  netFeesFen: number;
  /** The largest amount due on one published, not cancelled bill of a child. */
  largestBillFen: number;
  /** Fee item names of the children's published bills. */
  feeItemNames: string[];
  /** The parent's own WeChat payments by bank_type: transactions and fen. */
  cards: Record<string, { count: number; fen: number }>;
  /** Schools whose shared staff list holds the consenting parent's phone or a guardian phone of a child. */
  staffListSchools: string[];
}

export interface FamilyTag {
  tag: LeadTag;
  evidence: TagEvidence[];
}

const place = (c: ChildPlace) => `${c.campusName} ${c.divisionName}`;

/**
 * The tagging rules: a family gets a tag when any of its rules fires, and
 * each firing rule leaves its evidence (which rule, on which figures, and
 * the threshold in force). Thresholds come from the bank's settings.
 */
export function evaluateRules(facts: FamilyFacts, rules: TagRules, ownBankCodes: readonly string[]): FamilyTag[] {
  const tags: FamilyTag[] = [];
  const international = [...new Set(facts.children.filter((c) => c.international).map(place))];

  if (rules.highNetWorth.enabled) {
    const evidence: TagEvidence[] = [];
    const r = rules.highNetWorth;
    if (facts.netFeesFen >= r.annualFeesFen) {
      evidence.push({
        rule: 'annual_fees',
        summary: `近 12 个月家庭缴费 ${displayYuan(facts.netFeesFen)}，达到 ${displayYuan(r.annualFeesFen)}`,
        figures: { netFeesFen: facts.netFeesFen, thresholdFen: r.annualFeesFen, from: facts.windowFrom, to: facts.windowTo },
      });
    }
    if (facts.largestBillFen >= r.singleBillFen) {
      evidence.push({
        rule: 'single_bill',
        summary: `单笔账单 ${displayYuan(facts.largestBillFen)}，达到 ${displayYuan(r.singleBillFen)}`,
        figures: { largestBillFen: facts.largestBillFen, thresholdFen: r.singleBillFen },
      });
    }
    if (r.internationalDivision && international.length > 0) {
      evidence.push({ rule: 'international_division', summary: `孩子就读国际部：${international.join('、')}`, figures: { schools: international } });
    }
    if (evidence.length > 0) tags.push({ tag: 'high_net_worth', evidence });
  }

  if (rules.studyAbroad.enabled) {
    const evidence: TagEvidence[] = [];
    if (rules.studyAbroad.internationalDivision && international.length > 0) {
      evidence.push({ rule: 'international_division', summary: `孩子就读国际部：${international.join('、')}`, figures: { schools: international } });
    }
    const keywords = rules.studyAbroad.feeItemKeywords.filter((k) => facts.feeItemNames.some((n) => n.toLowerCase().includes(k.toLowerCase())));
    const items = facts.feeItemNames.filter((n) => keywords.some((k) => n.toLowerCase().includes(k.toLowerCase())));
    if (items.length > 0) {
      evidence.push({ rule: 'study_abroad_fee_items', summary: `有 ${items.length} 项留学相关收费（关键词：${keywords.join('、')}）`, figures: { feeItems: items.length, keywords } });
    }
    if (evidence.length > 0) tags.push({ tag: 'study_abroad', evidence });
  }

  // Without the bank's own codes every card looks like another bank's: the rule waits for the setting.
  if (rules.otherBankCard.enabled && ownBankCodes.length > 0) {
    let count = 0;
    let amount = 0;
    const types: string[] = [];
    for (const [bankType, v] of Object.entries(facts.cards)) {
      const cls = classifyBankType(bankType, ownBankCodes);
      if (cls !== 'other_debit' && cls !== 'other_credit') continue;
      count += v.count;
      amount += v.fen;
      types.push(bankType);
    }
    if (count >= rules.otherBankCard.minPayments) {
      const labels = [...new Set(types.map((t) => CARD_CLASS_LABELS[classifyBankType(t, ownBankCodes)]))];
      tags.push({
        tag: 'other_bank_card',
        evidence: [
          {
            rule: 'other_bank_card',
            summary: `用${labels.join('、')}缴费 ${count} 笔，共 ${displayYuan(amount)}`,
            figures: { payments: count, amountFen: amount, bankTypes: types.sort(), threshold: rules.otherBankCard.minPayments },
          },
        ],
      });
    }
  }

  if (rules.multiChild.enabled && facts.children.length >= rules.multiChild.minChildren) {
    tags.push({
      tag: 'multi_child',
      evidence: [{ rule: 'children', summary: `绑定了 ${facts.children.length} 个孩子`, figures: { children: facts.children.length, threshold: rules.multiChild.minChildren } }],
    });
  }

  if (rules.payrollProspect.enabled && facts.staffListSchools.length > 0) {
    tags.push({
      tag: 'payroll_prospect',
      evidence: [{ rule: 'staff_list', summary: `家长在学校共享的教职工名单中：${facts.staffListSchools.join('、')}`, figures: { schools: facts.staffListSchools } }],
    });
  }
  return tags;
}
