import Taro from '@tarojs/taro';
import type { OpenWebPage } from './open-web-page';

/** The link is copied (the system shows 内容已复制) for the parent to open in a browser. */
export const openWebPage: OpenWebPage = async (url) => {
  await Taro.setClipboardData({ data: url });
  await Taro.showModal({ title: '链接已复制', content: '请在浏览器中粘贴打开', showCancel: false });
};
