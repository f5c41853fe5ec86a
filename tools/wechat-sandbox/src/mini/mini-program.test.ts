import test from 'ava';
import { startTestSandbox, type TestSandbox } from '../test-support/sandbox-fixture.ts';
import { checkTemplateData } from './template-data.ts';

let env: TestSandbox;
let appid: string;
let secret: string;
const TEMPLATE = 'tmpl-fee-paid-0001';

test.before(async () => {
  env = await startTestSandbox();
  ({ appid, secret } = env.sandbox.miniProgram);
});
test.after.always(() => env.stop());

async function get(path: string): Promise<Record<string, unknown>> {
  const response = await fetch(env.sandbox.url + path);
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(env.sandbox.url + path, { method: 'POST', body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}

const code2session = (code: string, overrides: Record<string, string> = {}) =>
  get(`/sns/jscode2session?${new URLSearchParams({ appid, secret, js_code: code, grant_type: 'authorization_code', ...overrides })}`);

test.serial('a login code gives the user\'s openid once; a second use is 40029', async (t) => {
  const user = await env.control.createUser({ unionid: 'union-1' });
  const { code, openid } = await env.control.loginCode(user.openid);
  t.is(openid, user.openid);
  const session = await code2session(code);
  t.deepEqual(Object.keys(session), ['session_key', 'openid', 'unionid']);
  t.like(session, { openid: user.openid, unionid: 'union-1' });
  t.is(Buffer.from(String(session['session_key']), 'base64').length, 16);
  const again = await code2session(code);
  t.is(again['errcode'], 40029);
  t.regex(String(again['errmsg']), /^invalid code, rid: /);
});

test.serial('login codes expire after five minutes of WeChat\'s clock', async (t) => {
  const { code } = await env.control.loginCode();
  await env.control.clock({ skewSeconds: 5 * 60 + 1 });
  try {
    t.like(await code2session(code), { errcode: 40029 });
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
  const fresh = await env.control.loginCode();
  await env.control.clock({ skewSeconds: 4 * 60 });
  try {
    t.truthy((await code2session(fresh.code))['openid']);
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
});

test('jscode2session answers WeChat\'s errcodes for a wrong app, secret, grant type or a blocked user', async (t) => {
  const { code } = await env.control.loginCode();
  t.like(await code2session(code, { appid: 'wx0000000000000000' }), { errcode: 40013 });
  t.like(await code2session(code, { secret: 'not-the-secret' }), { errcode: 40125 });
  t.like(await code2session(code, { grant_type: 'client_credential' }), { errcode: 40002 });
  t.like(await code2session(''), { errcode: 41008 });
  t.like(await code2session('made-up-code'), { errcode: 40029 });
  const blocked = await env.control.loginCode(undefined, { blocked: true });
  t.like(await code2session(blocked.code), { errcode: 40226 });
});

test('/cgi-bin/token issues a new token each time; stable_token keeps one until forced', async (t) => {
  const query = (s: string) => `/cgi-bin/token?${new URLSearchParams({ grant_type: 'client_credential', appid, secret: s })}`;
  const first = await get(query(secret));
  const second = await get(query(secret));
  t.is(first['expires_in'], 7200);
  t.not(first['access_token'], second['access_token']);
  t.like(await get(query('wrong')), { errcode: 40125 });
  const body = { grant_type: 'client_credential', appid, secret };
  const stable = await post('/cgi-bin/stable_token', body);
  t.is((await post('/cgi-bin/stable_token', body))['access_token'], stable['access_token']);
  t.not((await post('/cgi-bin/stable_token', { ...body, force_refresh: true }))['access_token'], stable['access_token']);
  t.like(await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid }), { errcode: 41004 });
});

test.serial('subscribe/send spends a one-time subscription; none left is 43101', async (t) => {
  const { openid } = await env.control.createUser();
  const granted = await env.control.grantSubscription(openid, TEMPLATE, 1);
  t.is(granted.remaining, 1);
  const { access_token: token } = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid, secret });
  const message = {
    touser: openid,
    template_id: TEMPLATE,
    page: 'pages/bills/index?id=1',
    miniprogram_state: 'trial',
    lang: 'zh_CN',
    data: { thing1: { value: '2025秋季学费' }, amount2: { value: '¥3500.00' }, time3: { value: '2025年9月1日 10:30' }, character_string4: { value: 'CP2025-0001' } },
  };
  const sent = await post(`/cgi-bin/message/subscribe/send?access_token=${String(token)}`, message);
  t.like(sent, { errcode: 0, errmsg: 'ok' });
  t.like(await post(`/cgi-bin/message/subscribe/send?access_token=${String(token)}`, message), { errcode: 43101 });
  const state = await env.control.state();
  t.like(state.messages.find((m) => m.msgid === sent['msgid']), { touser: openid, templateId: TEMPLATE, page: 'pages/bills/index?id=1' });
  t.is(state.subscriptions.find((s) => s.openid === openid)?.remaining, 0);
});

test.serial('subscribe/send checks the token, the user, the template and each field\'s type limits', async (t) => {
  const { openid } = await env.control.createUser();
  await env.control.grantSubscription(openid, TEMPLATE, 5);
  const { access_token: token } = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid, secret });
  const send = (body: Record<string, unknown>, accessToken = String(token)) =>
    post(`/cgi-bin/message/subscribe/send?access_token=${accessToken}`, { touser: openid, template_id: TEMPLATE, ...body });
  const tooLong = await send({ data: { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' } } });
  t.is(tooLong['errcode'], 47003);
  t.regex(String(tooLong['errmsg']), /^argument invalid! data\.thing1\.value invalid, rid: /);
  t.like(await send({ data: { number1: { value: '12a' } } }), { errcode: 47003 });
  t.like(await send({ data: { phrase1: { value: '已缴费完成啦啦' } } }), { errcode: 47003 });
  t.like(await send({ data: { unknown1: { value: 'x' } } }), { errcode: 47003 });
  t.like(await send({ data: { thing1: 'not-an-object' } }), { errcode: 47003 });
  t.like(await send({ miniprogram_state: 'production', data: { thing1: { value: 'ok' } } }), { errcode: 47003 });
  t.like(await send({ touser: 'oNobody00000000000000000000', data: { thing1: { value: 'ok' } } }), { errcode: 40003 });
  t.like(await send({ template_id: 'never-offered', data: { thing1: { value: 'ok' } } }), { errcode: 40037 });
  t.like(await send({ data: { thing1: { value: 'ok' } } }, 'bad-token'), { errcode: 40001 });
  t.like(await post('/cgi-bin/message/subscribe/send', {}), { errcode: 41001 });
  t.is((await env.control.state()).subscriptions.find((s) => s.openid === openid)?.remaining, 5, 'refused sends spend nothing');
  await env.control.clock({ skewSeconds: 7201 });
  try {
    t.like(await send({ data: { thing1: { value: 'ok' } } }), { errcode: 42001 });
  } finally {
    await env.control.clock({ skewSeconds: 0 });
  }
});

test('template field rules follow the documented types', (t) => {
  t.is(checkTemplateData({ thing1: { value: '学费' }, number2: { value: '3500.5' }, letter3: { value: 'ABC' } }), undefined);
  t.is(checkTemplateData({ symbol1: { value: '%' }, date2: { value: '2025-09-01' }, phone_number3: { value: '+86 138-0000-0000' } }), undefined);
  t.is(checkTemplateData({ name1: { value: '张三' }, car_number2: { value: '粤B12345' }, amount3: { value: '100元' } }), undefined);
  t.truthy(checkTemplateData({ letter1: { value: 'AB1' } }));
  t.truthy(checkTemplateData({ symbol1: { value: '%%%%%%' } }));
  t.truthy(checkTemplateData({ amount1: { value: '一百元' } }));
  t.truthy(checkTemplateData({ date1: { value: '明天' } }));
  t.truthy(checkTemplateData({ name1: { value: '欧阳欧阳欧阳欧阳欧阳欧' } }));
  t.truthy(checkTemplateData({}));
});
