import type { ThemeConfig } from 'antd';

export const BRAND_COLOR = '#1d5bd8';

/** A calm, dense-enough theme for back-office work. */
export const theme: ThemeConfig = {
  cssVar: true,
  hashed: false,
  token: {
    colorPrimary: BRAND_COLOR,
    colorInfo: BRAND_COLOR,
    colorSuccess: '#2f9e44',
    colorWarning: '#e8890c',
    colorError: '#d9363e',
    colorBgLayout: '#f4f6fa',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { bodyBg: '#f4f6fa' },
    Card: { borderRadiusLG: 8 },
  },
};
