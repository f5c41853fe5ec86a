/**
 * Bridges the shared contract's zod schemas to antd forms, so a field is
 * checked by the same rule the server applies, with the same Chinese message.
 * No zod import: any object with `safeParse` fits.
 */
import type { FieldIssue } from '@campuspay/shared';

interface Issue {
  path: PropertyKey[];
  message: string;
}

export interface SafeParser {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: readonly Issue[] } };
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * An antd rule validating a field with `schema`. Empty values pass (pair it
 * with `required` when the field is mandatory), so optional fields stay
 * optional.
 */
export function zodRule(schema: SafeParser, fallbackMessage = '格式不正确') {
  return {
    validator: async (_rule: unknown, value: unknown) => {
      if (isEmpty(value)) return;
      const parsed = schema.safeParse(typeof value === 'string' ? value.trim() : value);
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message || fallbackMessage);
    },
  };
}

/** An antd `setFields` entry. */
export interface FormFieldError {
  name: (string | number)[];
  errors: string[];
}

/** "guardians.0.phone" → ['guardians', 0, 'phone'] (how antd names list fields). */
export function namePathOf(path: string | readonly PropertyKey[]): (string | number)[] {
  const parts = typeof path === 'string' ? path.split('.').filter((part) => part !== '') : path.map(String);
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Field errors to show on a form: from zod issues (client check) or the
 * server's VALIDATION_FAILED `details.fields`. Several issues on one field are
 * joined; issues without a path are left out (show them as a form message).
 */
export function formFieldErrors(issues: readonly (Issue | FieldIssue)[]): FormFieldError[] {
  const byName = new Map<string, FormFieldError>();
  for (const issue of issues) {
    const name = namePathOf(issue.path as string | readonly PropertyKey[]);
    if (name.length === 0) continue;
    const key = name.join('.');
    const entry = byName.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(issue.message)) entry.errors.push(issue.message);
    byName.set(key, entry);
  }
  return [...byName.values()];
}

/** The part of an antd `FormInstance` that shows field errors. */
interface FieldErrorSink {
  // antd types `name` by the form's values; these paths are checked at runtime.
  setFields(fields: never[]): void;
}

/** Puts the issues on their fields; returns how many fields got one. */
export function showFieldErrors(form: FieldErrorSink, issues: readonly (Issue | FieldIssue)[]): number {
  const fields = formFieldErrors(issues);
  if (fields.length > 0) form.setFields(fields as never[]);
  return fields.length;
}
