import { Spin } from 'antd';

/** Shown while a page's code loads. */
export function PageLoading() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: 240 }}>
      <Spin size="large" tip="加载中…">
        <div style={{ width: 120, height: 80 }} />
      </Spin>
    </div>
  );
}
