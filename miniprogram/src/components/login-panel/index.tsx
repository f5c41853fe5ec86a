import { Text, View } from '@tarojs/components';
import './index.scss';

/**
 * The login panel shown on the home page before the parent logs in: the
 * shared type of the platform variants. `import LoginPanel from
 * '../../components/login-panel'` resolves at build time (Taro's
 * MultiPlatformPlugin) to index.weapp.tsx (微信一键登录) or index.h5.tsx
 * (测试登录 against the WeChat sandbox); TypeScript sees this file.
 */
export interface LoginPanelProps {
  /** Called once a parent token has been stored. */
  onLoggedIn: () => void;
}

/** Fallback for targets without a variant. */
export default function LoginPanel(_props: LoginPanelProps) {
  return (
    <View className='login-panel'>
      <Text className='login-panel__hint'>当前平台暂不支持登录</Text>
    </View>
  );
}
