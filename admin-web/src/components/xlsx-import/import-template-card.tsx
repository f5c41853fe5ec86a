import type { ReactNode } from 'react';
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Button, Card, Typography } from 'antd';

/** Step 1 of an import page: how to fill the file in, and its template. */
export function ImportTemplateCard({ intro, rules, downloading, onDownload }: { intro: ReactNode; rules: readonly ReactNode[]; downloading: boolean; onDownload(): void }) {
  return (
    <Card variant="borderless" title="1. 按模板准备文件" style={{ height: '100%' }}>
      <Typography.Paragraph>
        <FileExcelOutlined style={{ color: '#2f9e44', marginInlineEnd: 6 }} />
        {intro}
      </Typography.Paragraph>
      <ul style={{ paddingInlineStart: 20, color: 'rgba(0,0,0,0.65)', marginBottom: 16 }}>
        {rules.map((rule, index) => (
          <li key={index}>{rule}</li>
        ))}
      </ul>
      <Button icon={<DownloadOutlined />} loading={downloading} onClick={onDownload} data-testid="import-template">
        下载导入模板
      </Button>
    </Card>
  );
}
