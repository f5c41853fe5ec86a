/**
 * The client-side check of a new staff password, so the user hears about a
 * weak password before the round trip. The server decides in the end (its
 * VALIDATION_FAILED message is shown as is).
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 64;

export interface PasswordContext {
  currentPassword?: string;
  username?: string;
}

/** The first problem with `password`, or null when it is acceptable. */
export function newPasswordProblem(password: string, context: PasswordContext = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return `密码长度应为 ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} 位`;
  }
  if (/\s/.test(password)) return '密码不能包含空格';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字';
  if (context.currentPassword !== undefined && password === context.currentPassword) {
    return '新密码不能与当前密码相同';
  }
  if (context.username && password.toLowerCase().includes(context.username.toLowerCase())) {
    return '密码不能包含用户名';
  }
  return null;
}
