/**
 * A new academic year for one campus, the way a group admin runs it: 组织架构
 * → the campus → 新学年升级. The review shows what the server planned (the
 * figures are checked against the database), nothing changes until the
 * campus's name is typed and confirmed, the job's outcome shows, and then a
 * first-grade class sits in second grade and the last grade has graduated,
 * in the database and in 学生名册. The other campus is left alone.
 */
import type { Locator, Page } from 'playwright-core';
import { browserTest } from './support/browser-test.ts';
import { adminLogin, eventually, openMenu, pageTitle, see } from './support/platform.ts';

const test = browserTest('academic-year');

const CAMPUS = { id: 'campus_demo_east', name: '明德东校区' };
/** The demo's last grades on this campus: 小学部 六年级 and 初中部 九年级. */
const LAST_GRADES = ['campus_demo_east_div1_g6', 'campus_demo_east_div2_g3'];
const FIRST_GRADE_CLASS = 'campus_demo_east_div1_g1_c1';
const SECOND_GRADE_CLASS = 'campus_demo_east_div1_g2_c1';
const LAST_GRADE_CLASS = 'campus_demo_east_div1_g6_c1';

async function numberAttribute(locator: Locator, name: string): Promise<number> {
  const value = await locator.getAttribute(name);
  if (value === null || value === '' || Number.isNaN(Number(value))) throw new Error(`${name} is not a number: ${String(value)}`);
  return Number(value);
}

/** 学生名册 searched for one student number: the row's 年级, 班级 and 状态 cells. */
async function rosterRow(page: Page, studentNo: string): Promise<{ grade: string; klass: string; status: string }> {
  const search = page.getByPlaceholder('学号 / 姓名');
  await search.fill(studentNo);
  await search.press('Enter');
  await see(page.getByTestId('student-total').getByText('共 1 名', { exact: true }));
  const row = page.locator(`[data-testid="student-row"][data-student-no="${studentNo}"]`);
  await see(row);
  // 学号, 姓名, 性别, 校区, 学部, 年级, 班级, 监护人, 邀请码, 状态.
  const cells = await row.locator('td').allTextContents();
  return { grade: (cells[5] ?? '').trim(), klass: (cells[6] ?? '').trim(), status: (cells[9] ?? '').trim() };
}

test('a group admin reviews and confirms a new academic year for a campus', async (t) => {
  const { page, platform } = t.context;
  const students = platform.server.deps.db.collection<{ _id: string; studentNo: string; classId: string; status: string; orgPath: string[] }>('students');

  // What the plan must say, from the database.
  const enrolled = await students.countDocuments({ orgPath: CAMPUS.id, status: 'enrolled' });
  let graduating = 0;
  for (const grade of LAST_GRADES) graduating += await students.countDocuments({ orgPath: grade, status: 'enrolled' });
  const promoting = enrolled - graduating;
  const classesMoving = (await students.distinct('classId', { orgPath: CAMPUS.id, status: 'enrolled' })).filter(
    (classId) => !LAST_GRADES.some((grade) => String(classId).startsWith(`${grade}_`)),
  ).length;
  const firstGraders = await students.find({ classId: FIRST_GRADE_CLASS, status: 'enrolled' }).toArray();
  const leavers = await students.find({ classId: LAST_GRADE_CLASS, status: 'enrolled' }).toArray();
  const otherCampus = await students.find({ campusId: 'campus_demo_west' }, { projection: { classId: 1, status: 1 } }).sort({ _id: 1 }).toArray();
  t.true(promoting > 0 && graduating > 0 && firstGraders.length > 0 && leavers.length > 0, 'the demo campus has students to promote and to graduate');

  await adminLogin(page, platform, 'demo.group');
  await openMenu(page, '组织与学生', '组织架构');
  await page.locator(`[data-testid="org-tree-node"][data-node-id="${CAMPUS.id}"]`).click();
  const detail = page.getByTestId('org-node-detail');
  await see(detail.locator('.ant-card-head-title').getByText(CAMPUS.name, { exact: true }));
  await detail.getByTestId('org-promote').click();

  const drawer = page.getByTestId('promotion-drawer');
  await see(drawer.getByTestId('promotion-summary'));
  t.is(await numberAttribute(drawer.getByTestId('promotion-total-promoted'), 'data-value'), promoting);
  t.is(await numberAttribute(drawer.getByTestId('promotion-total-graduated'), 'data-value'), graduating);
  t.is(await numberAttribute(drawer.getByTestId('promotion-total-created'), 'data-value'), 0, 'every next grade already has its classes');
  await see(drawer.getByText(`${classesMoving} 个班 ${promoting} 名学生升一个年级`, { exact: false }));
  t.is(await drawer.getByTestId('promotion-move').count(), classesMoving);

  const firstMove = drawer.locator(`[data-testid="promotion-move"][data-from-class-id="${FIRST_GRADE_CLASS}"]`);
  t.is(await firstMove.getAttribute('data-to-class-id'), SECOND_GRADE_CLASS);
  t.is(await numberAttribute(firstMove, 'data-students'), firstGraders.length);
  t.is(await firstMove.getAttribute('data-creates-class'), 'false');
  await see(firstMove.getByText('小学部 一年级 1班', { exact: true }));
  await see(firstMove.getByText('小学部 二年级 1班', { exact: true }));
  const leaving = drawer.locator(`[data-testid="promotion-graduating"][data-class-id="${LAST_GRADE_CLASS}"]`);
  t.is(await numberAttribute(leaving, 'data-students'), leavers.length);
  let listedGraduates = 0;
  for (const row of await drawer.getByTestId('promotion-graduating').all()) listedGraduates += await numberAttribute(row, 'data-students');
  t.is(listedGraduates, graduating);

  // Nothing happens until the campus's name is typed.
  const startButton = drawer.getByTestId('promotion-start');
  t.true(await startButton.isDisabled());
  await drawer.getByTestId('promotion-confirm-name').fill('明德东');
  t.true(await startButton.isDisabled(), 'a partial name does not confirm');
  t.is(await students.countDocuments({ classId: FIRST_GRADE_CLASS, status: 'enrolled' }), firstGraders.length, 'the preview changed nothing');
  await drawer.getByTestId('promotion-confirm-name').fill(CAMPUS.name);
  await startButton.click();

  const done = drawer.getByTestId('promotion-done');
  // The job moves ~600 students class by class; on the shared 2-core machine with FerretDB that takes about a minute.
  await see(done, 150_000);
  t.is(await numberAttribute(done, 'data-promoted'), promoting);
  t.is(await numberAttribute(done, 'data-graduated'), graduating);
  await see(done.getByText(`${promoting} 名学生已升一个年级，${graduating} 名学生已毕业。`));

  // The database: the first-grade class moved up whole, the last grade left, the other campus untouched.
  const movedUp = await students.find({ _id: { $in: firstGraders.map((s) => s._id) } }).toArray();
  t.is(movedUp.length, firstGraders.length);
  for (const student of movedUp) {
    t.is(student.classId, SECOND_GRADE_CLASS, `${student.studentNo} is in grade 2 class 1`);
    t.is(student.status, 'enrolled');
    t.true(student.orgPath.includes('campus_demo_east_div1_g2'), `${student.studentNo}'s path follows the class`);
  }
  t.is(await students.countDocuments({ classId: FIRST_GRADE_CLASS, status: 'enrolled' }), 0, 'grade 1 class 1 is empty until new pupils arrive');
  const graduated = await students.find({ _id: { $in: leavers.map((s) => s._id) } }).toArray();
  t.true(graduated.every((s) => s.status === 'graduated' && s.classId === LAST_GRADE_CLASS), 'the last grade graduated in its own class');
  t.is(await students.countDocuments({ orgPath: CAMPUS.id, status: 'graduated' }), graduating);
  t.deepEqual(
    await students.find({ campusId: 'campus_demo_west' }, { projection: { classId: 1, status: 1 } }).sort({ _id: 1 }).toArray(),
    otherCampus,
    'the other campus did not move',
  );

  // 学生名册 shows the same.
  await drawer.getByTestId('promotion-view-roster').click();
  await see(pageTitle(page, '学生名册'));
  const pupil = firstGraders[0]!;
  t.deepEqual(await rosterRow(page, pupil.studentNo), { grade: '二年级', klass: '1班', status: '在读' });
  const leaver = leavers[0]!;
  t.deepEqual(await rosterRow(page, leaver.studentNo), { grade: '六年级', klass: '1班', status: '已毕业' });

  // Back on 组织架构 the same campus now plans the following year; the reviewed plan cannot be replayed.
  await openMenu(page, '组织与学生', '组织架构');
  await page.locator(`[data-testid="org-tree-node"][data-node-id="${CAMPUS.id}"]`).click();
  await page.getByTestId('org-promote').click();
  await see(page.getByTestId('promotion-summary'));
  const next = await eventually(async () => numberAttribute(page.getByTestId('promotion-total-graduated'), 'data-value'));
  t.is(next, await students.countDocuments({ orgPath: { $in: LAST_GRADES }, status: 'enrolled' }), 'next year graduates the students who just moved into the last grades');
});

test('a roster changed after the preview is explained, and previewing again lets the promotion go ahead', async (t) => {
  const { page, platform } = t.context;
  const students = platform.server.deps.db.collection<{ _id: string; classId: string; status: string }>('students');
  const division = { id: 'campus_demo_west_div1', name: '高中部' };

  await adminLogin(page, platform, 'demo.group');
  await openMenu(page, '组织与学生', '组织架构');
  await page.locator(`[data-testid="org-tree-node"][data-node-id="${division.id}"]`).click();
  await page.getByTestId('org-promote').click();
  const drawer = page.getByTestId('promotion-drawer');
  await see(drawer.getByTestId('promotion-summary'));
  const plannedGraduates = await numberAttribute(drawer.getByTestId('promotion-total-graduated'), 'data-value');

  // Meanwhile the roster changes (a senior recorded as having left): the reviewed plan no longer holds.
  const senior = await students.findOne({ classId: 'campus_demo_west_div1_g3_c1', status: 'enrolled' });
  t.truthy(senior);
  await students.updateOne({ _id: senior!._id }, { $set: { status: 'left' } });

  await drawer.getByTestId('promotion-confirm-name').fill(division.name);
  await drawer.getByTestId('promotion-start').click();
  const stale = drawer.getByTestId('promotion-stale');
  await see(stale);
  await see(stale.getByText('名册在预览后发生了变化', { exact: false }));
  t.is(await students.countDocuments({ orgPath: division.id, status: 'graduated' }), 0, 'nothing was applied');
  t.is(await drawer.getByTestId('promotion-start').count(), 0, 'the stale plan cannot be confirmed');

  await drawer.getByTestId('promotion-repreview').click();
  await see(drawer.getByTestId('promotion-summary'));
  t.is(await numberAttribute(drawer.getByTestId('promotion-total-graduated'), 'data-value'), plannedGraduates - 1);
  await drawer.getByTestId('promotion-confirm-name').fill(division.name);
  await drawer.getByTestId('promotion-start').click();
  await see(drawer.getByTestId('promotion-done'), 150_000);
  t.is(await students.countDocuments({ orgPath: division.id, status: 'graduated' }), plannedGraduates - 1);
  t.is((await students.findOne({ _id: senior!._id }))?.status, 'left', 'the student who left did not graduate');
});
