import test from 'ava';
import { newPasswordProblem } from './password-policy.ts';

test('accepts a reasonable password', (t) => {
  t.is(newPasswordProblem('Campus2025pay', { currentPassword: 'Init1234', username: 'bursar1' }), null);
});

test('length, spaces and character classes', (t) => {
  t.is(newPasswordProblem('ab12'), '密码长度应为 8–64 位');
  t.is(newPasswordProblem('a1'.repeat(33)), '密码长度应为 8–64 位');
  t.is(newPasswordProblem('abcd 1234'), '密码不能包含空格');
  t.is(newPasswordProblem('abcdefgh'), '密码须同时包含字母和数字');
  t.is(newPasswordProblem('12345678'), '密码须同时包含字母和数字');
});

test('must differ from the current password and not contain the username', (t) => {
  t.is(newPasswordProblem('Init1234', { currentPassword: 'Init1234' }), '新密码不能与当前密码相同');
  t.is(newPasswordProblem('Bursar1-2025', { username: 'bursar1' }), '密码不能包含用户名');
});
