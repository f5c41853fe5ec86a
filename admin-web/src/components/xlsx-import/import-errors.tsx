import type { HTMLAttributes } from 'react';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { refusalHeadline, rowsWithErrors, type ImportProblem } from './xlsx-file.ts';

interface ImportErrorsProps {
  fileName: string;
  errors: readonly ImportProblem[];
  /** The server's own words, shown when there is no row to list. */
  serverMessage: string;
  /** The server's totals when it listed only the first problems; counted from `errors` otherwise. */
  totals?: { errors: number; rows: number };
  /** "未导入任何数据", "未导入任何账单". */
  nothingImported: string;
  /** The uploaded sheet with every problem marked, when the server keeps one. */
  report?: { available: boolean; downloading: boolean; onDownload(): void };
  onRetry(): void;
}

/** A refused import: nothing was imported; every bad row with its reason (and, where kept, the annotated sheet). */
export function ImportErrors({ fileName, errors, serverMessage, totals, nothingImported, report, onRetry }: ImportErrorsProps) {
  const total = totals?.errors ?? errors.length;
  const rows = totals?.rows ?? rowsWithErrors(errors);
  return (
    <Card variant="borderless" data-testid="import-rejected">
      <Alert
        type="error"
        showIcon
        message={<span data-testid="import-error-count">{refusalHeadline({ total, rows, shown: errors.length }, nothingImported)}</span>}
        description={
          <Space direction="vertical" size={4}>
            <span>
              「{fileName}」中的所有行都没有导入。请按下表修改后重新上传整个文件
              {report ? '；也可以下载标注了错误的文件，直接在原表上修改。' : '。'}
            </span>
            {errors.length === 0 && serverMessage && <Typography.Text type="secondary">{serverMessage}</Typography.Text>}
          </Space>
        }
        action={
          <Space direction="vertical">
            {report && (
              <Button
                icon={<DownloadOutlined />}
                onClick={report.onDownload}
                loading={report.downloading}
                disabled={!report.available}
                data-testid="import-report-download"
              >
                下载标注错误的文件
              </Button>
            )}
            <Button type="primary" icon={<UploadOutlined />} onClick={onRetry}>
              重新上传
            </Button>
          </Space>
        }
        style={{ marginBottom: 16 }}
      />
      <Table<ImportProblem & { key: number }>
        data-testid="import-errors"
        size="small"
        bordered
        pagination={false}
        sticky
        scroll={{ y: 480 }}
        dataSource={errors.map((error, index) => ({ ...error, key: index }))}
        onRow={(error) => ({ 'data-testid': 'import-error-row', 'data-row': error.row }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '行号', dataIndex: 'row', width: 88, render: (row: number) => `第 ${row} 行` },
          { title: '列', dataIndex: 'column', width: 160, render: (column: string | null) => column ?? <Typography.Text type="secondary">整行</Typography.Text> },
          { title: '问题', dataIndex: 'message' },
        ]}
        footer={() => `共 ${total} 处错误，涉及 ${rows} 行`}
      />
    </Card>
  );
}
