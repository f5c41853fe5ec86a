import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { DEMO_OPENID_PATTERN, getDemoOpenid, newRandomDemoOpenid } from '../../platform/demo-openid';
import { loginWithWechat } from '../../services/auth';
import { showError } from '../../ui/show-error';
import type { LoginPanelProps } from './index';
import './index.scss';

/**
 * 测试登录 (H5 only). A browser has no wx.login, so the parent is chosen by
 * its openid in the WeChat sandbox: a random one kept in this browser, or a
 * demo parent typed in.
 */
export default function LoginPanel({ onLoggedIn }: LoginPanelProps) {
  const [openid, setOpenid] = useState(getDemoOpenid);
  const [busy, setBusy] = useState(false);
  const trimmed = openid.trim();
  const valid = DEMO_OPENID_PATTERN.test(trimmed);

  const login = async () => {
    if (busy || !valid) return;
    setBusy(true);
    try {
      await loginWithWechat({ demoOpenid: trimmed });
      onLoggedIn();
    } catch (err) {
      showError(err, '登录失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='login-panel'>
      <View className='login-panel__hero'>
        <View className='login-panel__badge'>
          <Text>网页演示版</Text>
        </View>
        <Text className='login-panel__title'>测试登录</Text>
        <Text className='login-panel__subtitle'>
          网页中无法使用微信登录，将通过微信模拟服务以下方账号登录，仅用于开发与演示。
        </Text>
      </View>

      <View className='login-panel__field'>
        <Text className='login-panel__label'>测试账号（openid）</Text>
        <Input
          className='login-panel__input'
          value={openid}
          maxlength={64}
          placeholder='如 demo-parent-0001'
          placeholderClass='login-panel__placeholder'
          onInput={(e) => setOpenid(e.detail.value)}
          onConfirm={login}
        />
        {!valid && trimmed !== '' && (
          <Text className='login-panel__error'>只能包含字母、数字、“-”和“_”</Text>
        )}
        <View className='login-panel__actions'>
          <Text className='login-panel__link' onClick={() => setOpenid(newRandomDemoOpenid())}>
            换一个新账号
          </Text>
        </View>
      </View>

      <Button
        className={`btn btn--primary login-panel__submit${busy || !valid ? ' btn--disabled' : ''}`}
        loading={busy}
        disabled={busy || !valid}
        onClick={login}
      >
        登录
      </Button>
      <Text className='login-panel__hint'>同一账号再次登录会看到之前绑定的孩子</Text>
    </View>
  );
}
