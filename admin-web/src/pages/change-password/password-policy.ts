/**
 * The client-side check of a new staff password, so the user hears about a
 * weak password before the round trip. The rule itself is the shared
 * contract's `passwordSchema` (≥ 10 characters with letters and digits); the
 * server decides in the end (its VALIDATION_FAILED message is shown as is).
 */
import { passwordSchema } from '@campuspay/shared';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
/** What the form says under the field. */
export const PASSWORD_HINT = `至少 ${PASSWORD_MIN_LENGTH} 位，须同时包含字母和数字`;

export interface PasswordContext {
  currentPassword?: string | undefined;
  username?: string | undefined;
}

/** The first problem with `password`, or null when it is acceptable. */
export function newPasswordProblem(password: string, context: PasswordContext = {}): string | null {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'too_big') return `密码最多 ${PASSWORD_MAX_LENGTH} 位`;
    return issue?.message ?? '密码不符合要求';
  }
  if (context.currentPassword !== undefined && password === context.currentPassword) {
    return '新密码不能与当前密码相同';
  }
  if (context.username && password.toLowerCase().includes(context.username.toLowerCase())) {
    return '密码不能包含用户名';
  }
  return null;
}
