import Taro from '@tarojs/taro';

/**
 * The identity used by the H5 demo login (测试登录): an openid in the WeChat
 * sandbox. A random `h5-demo-xxxxxxxx` is created once per browser so every
 * tester starts as a fresh parent; a seeded demo parent (e.g.
 * `demo-parent-0001`) can be typed instead. Only h5 code uses this.
 */

const DEMO_OPENID_KEY = 'campuspay.h5.demoOpenid';
export const DEMO_OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function randomSuffix(): string {
  return Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
}

export function getDemoOpenid(): string {
  const stored: unknown = Taro.getStorageSync(DEMO_OPENID_KEY);
  if (typeof stored === 'string' && DEMO_OPENID_PATTERN.test(stored)) return stored;
  const created = `h5-demo-${randomSuffix()}`;
  Taro.setStorageSync(DEMO_OPENID_KEY, created);
  return created;
}

export function saveDemoOpenid(openid: string): void {
  Taro.setStorageSync(DEMO_OPENID_KEY, openid);
}

export function newRandomDemoOpenid(): string {
  return `h5-demo-${randomSuffix()}`;
}
