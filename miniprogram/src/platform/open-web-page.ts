/**
 * Opening a bank's https page from a promotion: the shared type of the
 * platform variants, resolved by Taro at build time like wechat-login.ts:
 *   - open-web-page.h5.ts: the page in a new browser tab;
 *   - open-web-page.weapp.ts: a mini-program cannot open arbitrary sites
 *     (web-view needs the domain registered as a business domain), so the
 *     link is copied for the parent to open in a browser.
 */
export type OpenWebPage = (url: string) => Promise<void>;

/** Fallback for targets without a variant. */
export const openWebPage: OpenWebPage = () => Promise.reject(new Error('当前平台暂不支持打开网页'));
