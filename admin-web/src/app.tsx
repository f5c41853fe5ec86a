import { StrictMode } from 'react';
import { App as AntdApp, ConfigProvider } from 'antd';
// The ES build: a default import of the CommonJS `antd/locale/zh_CN` yields
// `module.exports` (`{default: locale}`) under Node-style interop, and antd
// silently falls back to English.
import zhCN from 'antd/es/locale/zh_CN';
import { RouterProvider } from 'react-router-dom';
import { router } from './router.tsx';
import { SessionProvider } from './session/session-context.tsx';
import { theme } from './theme.ts';

export function App() {
  return (
    <StrictMode>
      {/* autoInsertSpace off: antd would render two-character labels as "登 录". */}
      <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
        <AntdApp>
          <SessionProvider>
            <RouterProvider router={router} future={{ v7_startTransition: true }} />
          </SessionProvider>
        </AntdApp>
      </ConfigProvider>
    </StrictMode>
  );
}
