import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { routes } from '../../routes';
import { logout } from '../../services/auth';
import { getParentSession, type ParentSession } from '../../services/session';
import './index.scss';

const APP_VERSION = process.env.TARO_APP_VERSION;

export default function MePage() {
  const [session, setSession] = useState<ParentSession | null>(getParentSession);

  useDidShow(() => setSession(getParentSession()));

  const confirmLogout = async () => {
    const { confirm } = await Taro.showModal({
      title: '退出登录',
      content: '退出后需要重新登录才能查看和缴纳账单',
      confirmText: '退出',
      confirmColor: '#e5484d',
    });
    if (!confirm) return;
    logout();
    setSession(null);
    void Taro.reLaunch({ url: routes.home() });
  };

  return (
    <View className='page me'>
      <View className='me__account'>
        <View className='me__avatar'>
          <Text>家长</Text>
        </View>
        <View className='me__account-text'>
          <Text className='me__account-title'>{session ? '已登录' : '未登录'}</Text>
          {session?.parentId && <Text className='me__account-id'>账号编号 {session.parentId}</Text>}
        </View>
      </View>

      <View className='me__list'>
        {session && (
          <View className='me__item' onClick={() => void Taro.navigateTo({ url: routes.bindChild() })}>
            <Text className='me__item-label'>绑定孩子</Text>
            <Text className='me__item-arrow'>›</Text>
          </View>
        )}
        {session && (
          <View className='me__item' onClick={() => void Taro.navigateTo({ url: routes.consent() })}>
            <Text className='me__item-label'>银行联系授权</Text>
            <Text className='me__item-arrow'>›</Text>
          </View>
        )}
        <View className='me__item'>
          <Text className='me__item-label'>版本</Text>
          <Text className='me__item-value'>v{APP_VERSION}</Text>
        </View>
      </View>

      {session ? (
        <Button className='btn btn--danger-plain me__logout' onClick={() => void confirmLogout()}>
          退出登录
        </Button>
      ) : (
        <Button className='btn btn--primary me__logout' onClick={() => void Taro.reLaunch({ url: routes.home() })}>
          去登录
        </Button>
      )}
    </View>
  );
}
