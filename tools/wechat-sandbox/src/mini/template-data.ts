/**
 * The value rules of subscribe-message template fields, by the type a key
 * names (thing1, amount2, ...), from WeChat's subscribe message document.
 * A value breaking them is answered with errcode 47003.
 */

const CJK = /[\u3400-\u9fff]/;
const DATE = String.raw`\d{4}(?:年\d{1,2}月\d{1,2}日|[-/]\d{1,2}[-/]\d{1,2})`;
const CLOCK = String.raw`\d{1,2}:\d{2}(?::\d{2})?`;

type Rule = (value: string) => boolean;

const length = (value: string): number => [...value].length;

const RULES: Record<string, Rule> = {
  thing: (v) => length(v) <= 20,
  number: (v) => length(v) <= 32 && /^\d+(\.\d+)?$/.test(v),
  letter: (v) => length(v) <= 32 && /^[A-Za-z]+$/.test(v),
  symbol: (v) => length(v) <= 5 && /^[^\p{L}\p{N}\s]+$/u.test(v),
  character_string: (v) => length(v) <= 32 && /^[\x21-\x7e]+$/.test(v),
  time: (v) => new RegExp(`^(?:${DATE}\\s*)?${CLOCK}(?:\\s*~\\s*(?:${DATE}\\s*)?${CLOCK})?$`).test(v),
  date: (v) => new RegExp(`^${DATE}(?:\\s*${CLOCK})?(?:\\s*~\\s*${DATE}(?:\\s*${CLOCK})?)?$`).test(v),
  amount: (v) => /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(v),
  phone_number: (v) => length(v) <= 17 && /^[\d+\-() ]+$/.test(v),
  car_number: (v) => length(v) <= 8,
  name: (v) => (CJK.test(v) ? length(v) <= 10 : length(v) <= 20),
  phrase: (v) => /^[\u3400-\u9fff]{1,5}$/.test(v),
};

/** The problem with a template's `data`, as WeChat words it, or undefined when it is acceptable. */
export function checkTemplateData(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.keys(data).length === 0) {
    return 'argument invalid! data invalid';
  }
  for (const [key, entry] of Object.entries(data as Record<string, unknown>)) {
    const type = /^([a-z_]+?)\d+$/.exec(key)?.[1];
    const rule = type ? RULES[type] : undefined;
    if (!rule) return `argument invalid! data.${key} invalid`;
    const value = (entry as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' || value.length === 0 || !rule(value)) return `argument invalid! data.${key}.value invalid`;
  }
  return undefined;
}
