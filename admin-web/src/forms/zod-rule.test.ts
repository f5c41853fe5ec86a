import test from 'ava';
import { createStudentSchema, phoneSchema } from '@campuspay/shared';
import { formFieldErrors, namePathOf, showFieldErrors, zodRule } from './zod-rule.ts';

test('zodRule checks with the shared schema and lets empty values through', async (t) => {
  const rule = zodRule(phoneSchema);
  await t.notThrowsAsync(rule.validator(null, ''));
  await t.notThrowsAsync(rule.validator(null, undefined));
  await t.notThrowsAsync(rule.validator(null, ' 13812345678 '));
  await t.throwsAsync(rule.validator(null, '12345'), { message: '手机号格式不正确' });
});

test('name paths follow antd list naming', (t) => {
  t.deepEqual(namePathOf('guardians.1.phone'), ['guardians', 1, 'phone']);
  t.deepEqual(namePathOf(['grants', 0, 'nodeId']), ['grants', 0, 'nodeId']);
  t.deepEqual(namePathOf(''), []);
});

test('issues become field errors, merged per field', (t) => {
  const parsed = createStudentSchema.safeParse({ studentNo: '学号?', name: '', classId: '', guardians: [] });
  t.false(parsed.success);
  const fields = formFieldErrors(parsed.success ? [] : parsed.error.issues);
  t.deepEqual(
    fields.map((f) => f.name.join('.')),
    ['studentNo', 'name', 'classId'],
  );
  t.deepEqual(
    formFieldErrors([
      { path: 'guardians.0.phone', message: 'a' },
      { path: 'guardians.0.phone', message: 'b' },
      { path: 'guardians.0.phone', message: 'a' },
      { path: '', message: 'no field' },
    ]),
    [{ name: ['guardians', 0, 'phone'], errors: ['a', 'b'] }],
  );
});

test('showFieldErrors hands the fields to the form', (t) => {
  const seen: unknown[] = [];
  const form = { setFields: (fields: never[]) => void seen.push(...fields) };
  t.is(showFieldErrors(form, [{ path: 'name', message: '请填写名称' }]), 1);
  t.deepEqual(seen, [{ name: ['name'], errors: ['请填写名称'] }]);
  t.is(showFieldErrors(form, []), 0);
  t.is(seen.length, 1);
});
