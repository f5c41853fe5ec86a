/**
 * A parent in the mini-program's H5 build (served at /h5/): 测试登录 with an
 * openid (the WeChat sandbox plays wx.login), then 绑定孩子 with the school
 * code, the student number and the child's name. A wrong name is refused
 * with a clear message and binds nothing; the right one lists the child on
 * the home page, and the binding is kept by the server.
 */
import type { Page } from 'playwright-core';
import { browserTest } from './support/browser-test.ts';
import { h5Login, see, seeText, taroButton, taroInput } from './support/platform.ts';

const test = browserTest('parent-h5');

const SCHOOL_CODE = 'MDE001';
const OPENID = 'e2e-parent-1';

async function fillBindForm(page: Page, input: { schoolCode: string; studentNo: string; studentName: string }) {
  await taroInput(page, '请输入学校提供的学校代码').fill(input.schoolCode);
  await taroInput(page, '请输入孩子的学号').fill(input.studentNo);
  await taroInput(page, '请输入孩子的姓名').fill(input.studentName);
}

test('a parent logs in with 测试登录, binds a child by school code, number and name, and sees the child listed', async (t) => {
  const { page, platform } = t.context;
  const students = platform.server.deps.db.collection<{ _id: string; studentNo: string; name: string; campusId: string }>('students');
  // A real east-campus student, not the one the demo parent already has.
  const child = await students.findOne({ campusId: 'campus_demo_east', studentNo: 'E2026005' });
  t.truthy(child, 'the demo roster has E2026005');
  const { studentNo, name } = child!;
  const wrongName = name === '张伟' ? '李伟' : '张伟';

  await h5Login(page, platform, OPENID);
  await seeText(page, '还没有绑定孩子');
  // The sandbox issued the login code for exactly this openid, and the server made it a parent.
  const parents = platform.server.deps.db.collection<{ _id: unknown; openid: string }>('parents');
  const parent = await parents.findOne({ openid: OPENID });
  t.truthy(parent, 'the server knows the parent by the openid typed in');

  await taroButton(page, '绑定孩子').click();
  await seeText(page, '填写孩子信息');

  // The wrong name: refused, and it says what to check.
  await fillBindForm(page, { schoolCode: SCHOOL_CODE, studentNo, studentName: wrongName });
  await taroButton(page, '确认绑定').click();
  await seeText(page, '绑定未成功');
  await seeText(page, '未找到匹配的学生，请核对学校代码、学号和姓名');
  const bindings = platform.server.deps.db.collection<{ parentId: string; studentId: string }>('parent_children');
  t.is(await bindings.countDocuments({ parentId: String(parent!._id) }), 0, 'nothing was bound');

  // The right name.
  await taroInput(page, '请输入孩子的姓名').fill(name);
  await taroButton(page, '确认绑定').click();
  // Back on the home page, the child is listed with school and number.
  await seeText(page, '我的孩子');
  const card = page.locator('.child-card').filter({ hasText: name });
  await see(card);
  await see(card.getByText(`学号 ${studentNo}`));
  await see(card.getByText(/明德东校区/));
  t.is(await page.locator('.child-card').count(), 1);
  t.is(await bindings.countDocuments({ parentId: String(parent!._id), studentId: child!._id }), 1);

  // Kept by the server: a fresh load (same browser, same login) lists the child again.
  await page.reload();
  await see(page.locator('.child-card').filter({ hasText: name }));
});

test('a missing student and a wrong name get the same answer, and an empty form is stopped before sending', async (t) => {
  const { page, platform } = t.context;
  const bindRequests: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/parent/children') bindRequests.push(request.postData() ?? '');
  });
  await h5Login(page, platform, 'e2e-parent-2');
  await seeText(page, '还没有绑定孩子');
  await taroButton(page, '绑定孩子').click();
  await seeText(page, '填写孩子信息');

  // Nothing filled in: each field says what it needs, nothing is sent.
  await taroButton(page, '确认绑定').click();
  await seeText(page, '请输入学校代码');
  await seeText(page, '请输入学号');
  await seeText(page, '请输入学生姓名');
  t.is(bindRequests.length, 0, 'an empty form is not sent');

  // A student number that does not exist: the same message as a wrong name, so numbers cannot be probed.
  await fillBindForm(page, { schoolCode: SCHOOL_CODE, studentNo: 'E9999999', studentName: '王小明' });
  await taroButton(page, '确认绑定').click();
  await seeText(page, '绑定未成功');
  await seeText(page, '未找到匹配的学生，请核对学校代码、学号和姓名');
  t.is(bindRequests.length, 1);
  t.deepEqual(JSON.parse(bindRequests[0]!), { schoolCode: SCHOOL_CODE, studentNo: 'E9999999', studentName: '王小明' });
});
