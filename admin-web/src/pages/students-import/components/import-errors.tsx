import type { HTMLAttributes } from 'react';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import type { ImportRowError } from '@campuspay/shared';
import type { ImportRejection } from '../../../services/students.ts';
import { rowsWithErrors } from '../import-flow.ts';

interface ImportErrorsProps {
  fileName: string;
  rejection: ImportRejection;
  downloading: boolean;
  onDownloadReport(): void;
  onRetry(): void;
}

/** A rejected import: nothing was imported; every bad row, and the annotated sheet to fix them in. */
export function ImportErrors({ fileName, rejection, downloading, onDownloadReport, onRetry }: ImportErrorsProps) {
  const count = rejection.errors.length;
  const rows = rowsWithErrors(rejection.errors);
  return (
    <Card variant="borderless" data-testid="import-rejected">
      <Alert
        type="error"
        showIcon
        message={
          <span data-testid="import-error-count">
            {count > 0 ? `文件中有 ${count} 处错误（涉及 ${rows} 行），未导入任何数据` : '文件未通过校验，未导入任何数据'}
          </span>
        }
        description={
          <Space direction="vertical" size={4}>
            <span>
              「{fileName}」中的所有行都没有导入。请按下表修改后重新上传整个文件；也可以下载标注了错误的文件，直接在原表上修改。
            </span>
            {count === 0 && rejection.message && <Typography.Text type="secondary">{rejection.message}</Typography.Text>}
          </Space>
        }
        action={
          <Space direction="vertical">
            <Button
              icon={<DownloadOutlined />}
              onClick={onDownloadReport}
              loading={downloading}
              disabled={!rejection.reportId}
              data-testid="import-report-download"
            >
              下载标注错误的文件
            </Button>
            <Button type="primary" icon={<UploadOutlined />} onClick={onRetry}>
              重新上传
            </Button>
          </Space>
        }
        style={{ marginBottom: 16 }}
      />
      <Table<ImportRowError & { key: number }>
        data-testid="import-errors"
        size="small"
        bordered
        pagination={false}
        sticky
        scroll={{ y: 480 }}
        dataSource={rejection.errors.map((error, index) => ({ ...error, key: index }))}
        onRow={() => ({ 'data-testid': 'import-error-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '行号', dataIndex: 'row', width: 88, render: (row: number) => `第 ${row} 行` },
          { title: '列', dataIndex: 'column', width: 160, render: (column: string | null) => column ?? <Typography.Text type="secondary">整行</Typography.Text> },
          { title: '问题', dataIndex: 'message' },
        ]}
        footer={() => `共 ${count} 处错误，涉及 ${rows} 行`}
      />
    </Card>
  );
}
