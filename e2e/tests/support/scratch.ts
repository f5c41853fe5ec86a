import { adminLogin, startPlatform } from './platform.ts';
const p = await startPlatform('scratch');
const page = await p.browser.newPage();
await adminLogin(page, p, 'demo.bursar');
const T0 = Date.now();
await page.getByRole('menuitem', { name: /组织与学生/ }).click();
for (let i = 0; i < 12; i++) {
  const info = await page.evaluate(`(() => { const sub = document.querySelector('li.ant-menu-submenu-open ul.ant-menu-sub') || document.querySelector('ul.ant-menu-sub'); const a = [...document.querySelectorAll('.ant-menu a')].find(x => x.textContent.includes('名册导入')); const r = a && a.getBoundingClientRect(); return JSON.stringify({ cls: sub && sub.className, style: sub && sub.getAttribute('style'), link: r && [Math.round(r.x), Math.round(r.y), Math.round(r.height)] }); })()`);
  console.log(Date.now() - T0, info);
  await page.waitForTimeout(40);
}
await p.stop();
