import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { loginWithWechat } from '../../services/auth';
import { showError } from '../../ui/show-error';
import type { LoginPanelProps } from './index';
import './index.scss';

/** 微信一键登录: wx.login → code → POST /parent/auth/wechat. */
export default function LoginPanel({ onLoggedIn }: LoginPanelProps) {
  const [busy, setBusy] = useState(false);

  const login = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await loginWithWechat();
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
        <Text className='login-panel__title'>欢迎使用校园缴费</Text>
        <Text className='login-panel__subtitle'>绑定孩子后，可随时查看并在线缴纳学校的各项费用</Text>
      </View>
      <Button className={`btn btn--pay login-panel__submit${busy ? ' btn--disabled' : ''}`} loading={busy} disabled={busy} onClick={login}>
        微信一键登录
      </Button>
      <Text className='login-panel__hint'>仅获取微信登录凭证，不会获取您的手机号</Text>
    </View>
  );
}
