import type { ReactNode } from 'react';
import { Typography } from 'antd';

/** The full-screen frame of the signed-out pages (login, forced password change). */
export function AuthPageFrame({ children }: { children: ReactNode }) {
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        background: 'linear-gradient(180deg, #eef3fc 0%, #f7f9fc 55%, #ffffff 100%)',
      }}
    >
      <main style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: '48px 16px' }}>
        <div style={{ width: '100%', maxWidth: 440 }}>{children}</div>
      </main>
      <footer style={{ textAlign: 'center', padding: '16px 0 24px' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          CampusPay 校园缴费 · 仅限授权工作人员使用
        </Typography.Text>
      </footer>
    </div>
  );
}
