import test from 'ava';
import type { Student } from '@campuspay/shared';
import {
  createStudentRequestOf,
  guardianLine,
  idNumberFieldProblem,
  orderedGuardians,
  revealReasonProblem,
  updateStudentRequestOf,
} from './student-form.ts';

// Valid identity numbers (checksum included).
const CHILD_ID = '110105201401011231';
const PARENT_ID = '330106198203150006';

test('fixtures are valid identity numbers', (t) => {
  t.is(idNumberFieldProblem(CHILD_ID), null);
  t.is(idNumberFieldProblem(PARENT_ID), null);
  t.is(idNumberFieldProblem(''), null);
  t.truthy(idNumberFieldProblem('110105201401011235'));
  t.is(idNumberFieldProblem('11010520140101123x'), '身份证号校验位不正确');
});

test('a new student with guardians', (t) => {
  const result = createStudentRequestOf({
    studentNo: ' E2026999 ',
    name: ' 张小明 ',
    gender: 'male',
    idNumber: CHILD_ID,
    classId: 'east-g1-c1',
    guardians: [
      { name: '张伟', relationship: 'father', phone: '+86 138-1234-5678', idNumber: ` ${PARENT_ID} ` },
      {},
      { name: '李娜', relationship: 'mother', phone: '13912345678', primary: true },
    ],
  });
  t.deepEqual(result, {
    ok: true,
    value: {
      studentNo: 'E2026999',
      name: '张小明',
      gender: 'male',
      idNumber: CHILD_ID,
      classId: 'east-g1-c1',
      guardians: [
        { name: '张伟', relationship: 'father', phone: '13812345678', idNumber: PARENT_ID, primary: false },
        { name: '李娜', relationship: 'mother', phone: '13912345678', primary: true },
      ],
    },
  });
});

test('the first guardian is primary when none is marked', (t) => {
  const result = createStudentRequestOf({
    studentNo: 'W1',
    name: '李雷',
    classId: 'c',
    guardians: [
      { name: '李父', relationship: 'father', phone: '13800000001' },
      { name: '李母', relationship: 'mother', phone: '13800000002' },
    ],
  });
  t.true(result.ok);
  t.deepEqual(result.ok ? result.value.guardians?.map((g) => g.primary) : [], [true, false]);
  const none = createStudentRequestOf({ studentNo: 'W2', name: '韩梅梅', classId: 'c', guardians: [] });
  t.deepEqual(none.ok ? none.value.guardians : null, []);
});

test('problems point at the form fields, guardian rows included', (t) => {
  const result = createStudentRequestOf({
    studentNo: '学号 1',
    name: '',
    classId: undefined,
    guardians: [
      {},
      { name: '王', phone: '12345', idNumber: '123' },
      { name: 'a', relationship: 'other', phone: '13800000001', primary: true },
      { name: 'b', relationship: 'other', phone: '13800000002', primary: true },
    ],
  });
  t.false(result.ok);
  const paths = result.ok ? [] : result.issues.map((issue) => issue.path.join('.'));
  for (const path of ['studentNo', 'name', 'classId', 'guardians.1.relationship', 'guardians.1.phone', 'guardians.1.idNumber', 'guardians.2.primary', 'guardians.3.primary']) {
    t.true(paths.includes(path), path);
  }
  const messages = result.ok ? [] : result.issues.map((issue) => issue.message);
  t.true(messages.every((message) => /[\u4e00-\u9fff]/.test(message)), messages.join(' | '));
});

const STUDENT: Student = {
  id: 's1',
  studentNo: 'E1',
  name: '郭一诺',
  gender: 'female',
  idNumberMasked: '110***********1236',
  status: 'enrolled',
  classId: 'c1',
  className: '1班',
  gradeName: '一年级',
  divisionName: '小学部',
  campusId: 'east',
  campusName: '东校区',
  inviteCode: 'ABCD2345',
  guardians: [
    { guardianId: 'g1', name: '郭军', relationship: 'father', primary: false, phoneMasked: '139****0000' },
    { guardianId: 'g2', name: '曾娟', relationship: 'mother', primary: true, phoneMasked: '138****0001' },
  ],
};

test('edits send only what changed; an empty identity number keeps the stored one', (t) => {
  t.deepEqual(updateStudentRequestOf(STUDENT, { name: '郭一诺', gender: 'female', idNumber: '', status: 'enrolled' }), { ok: true, value: {} });
  t.deepEqual(updateStudentRequestOf(STUDENT, { name: ' 郭一诺 ', gender: 'male', idNumber: CHILD_ID, status: 'left' }), {
    ok: true,
    value: { gender: 'male', idNumber: CHILD_ID, status: 'left' },
  });
  t.false(updateStudentRequestOf(STUDENT, { idNumber: '123' }).ok);
});

test('reveal needs a reason of 2–200 characters', (t) => {
  t.is(revealReasonProblem(''), '请说明查看原因');
  t.is(revealReasonProblem(' a '), '请说明查看原因');
  t.is(revealReasonProblem('家长来电'), null);
  t.truthy(revealReasonProblem('长'.repeat(201)));
});

test('guardian lines show the primary contact first, phones masked', (t) => {
  const ordered = orderedGuardians(STUDENT.guardians);
  t.deepEqual(ordered.map((g) => g.guardianId), ['g2', 'g1']);
  t.is(guardianLine(ordered[0]!), '母亲 曾娟 138****0001');
  t.is(guardianLine({ ...ordered[1]!, phoneMasked: null }), '父亲 郭军');
});
