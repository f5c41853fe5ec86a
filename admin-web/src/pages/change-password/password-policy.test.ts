import test from 'ava';
import { passwordSchema } from '@campuspay/shared';
import { newPasswordProblem, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.ts';

test('accepts a reasonable password', (t) => {
  t.is(newPasswordProblem('Campus2025pay', { currentPassword: 'Init1234', username: 'bursar1' }), null);
});

test('the shared rule: at least 10 characters with letters and digits', (t) => {
  t.is(newPasswordProblem('abc1234'), '密码至少 10 位');
  t.is(newPasswordProblem('Abcd12345'), '密码至少 10 位');
  t.is(newPasswordProblem('Abcd123456'), null);
  t.is(newPasswordProblem('abcdefghijk'), '密码须同时包含字母和数字');
  t.is(newPasswordProblem('12345678901'), '密码须同时包含字母和数字');
  t.is(newPasswordProblem('a1'.repeat(65)), `密码最多 ${PASSWORD_MAX_LENGTH} 位`);
});

test('agrees with the shared schema on the boundaries', (t) => {
  for (const candidate of ['Abcd12345', 'Abcd123456', 'a'.repeat(9) + '1', 'a1'.repeat(64), 'a1'.repeat(64) + 'x']) {
    t.is(newPasswordProblem(candidate) === null, passwordSchema.safeParse(candidate).success, candidate);
  }
  t.is(PASSWORD_MIN_LENGTH, 10);
});

test('must differ from the current password and not contain the username', (t) => {
  t.is(newPasswordProblem('Init123456', { currentPassword: 'Init123456' }), '新密码不能与当前密码相同');
  t.is(newPasswordProblem('Bursar1-2025', { username: 'bursar1' }), '密码不能包含用户名');
});
