import { formatYuan } from '@campuspay/shared';

/**
 * The reminder's subscribe-message template. WeChat checks each field by the
 * type its key names: `thing` at most 20 characters, `name` at most 10 CJK
 * characters (20 letters), `amount` a number with at most 2 decimals and an
 * optional ¥/元, `date` a date. The keys must match the template chosen in
 * the mini-program console (WECHAT_REMINDER_TEMPLATE_ID):
 *   thing1 缴费项目 · name2 学生姓名 · amount3 待缴金额 · date4 截止日期 · thing5 温馨提示
 */
export interface ReminderBill {
  feeItemName: string;
  outstandingFen: number;
  dueDate: string;
}

/** Cuts text to WeChat's limit, marking the cut with an ellipsis. */
export function fitThing(text: string, limit = 20): string {
  const chars = [...text.trim()];
  return chars.length <= limit ? chars.join('') : `${chars.slice(0, limit - 1).join('')}…`;
}

export function fitName(text: string): string {
  const chars = [...text.trim()];
  const limit = chars.some((c) => /[\u3400-\u9fff]/.test(c)) ? 10 : 20;
  return chars.slice(0, limit).join('');
}

export function reminderMessageData(studentName: string, bills: ReminderBill[], today: string): Record<string, { value: string }> {
  const sorted = [...bills].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const first = sorted[0];
  const names = [...new Set(sorted.map((b) => b.feeItemName))];
  const item = names.length === 1 ? (names[0] ?? '') : `${fitThing(names[0] ?? '', 14)}等${sorted.length}项`;
  const totalFen = sorted.reduce((n, b) => n + b.outstandingFen, 0);
  const overdue = sorted.some((b) => b.dueDate < today);
  return {
    thing1: { value: fitThing(item) },
    name2: { value: fitName(studentName) || '学生' },
    amount3: { value: `${formatYuan(totalFen)}元` },
    date4: { value: first?.dueDate ?? today },
    thing5: { value: overdue ? '已过缴费截止日期，请尽快缴费' : '请在截止日期前完成缴费' },
  };
}
