import type { HTMLAttributes } from 'react';
import { Button, Card, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReminderRun } from '@campuspay/shared';
import { REMINDER_STATUS_COLORS, REMINDER_STATUS_LABELS, targetText, type TargetNames } from '../reminder-view.ts';

/** When a run sends (or sent): its start, else its scheduled time, else when it was asked for. */
function whenText(run: ReminderRun): string {
  const at = run.startedAt ?? run.scheduleAt ?? run.createdAt;
  return dayjs(at).format('YYYY-MM-DD HH:mm');
}

function Count({ run, field, testId }: { run: ReminderRun; field: 'sent' | 'refused' | 'failed' | 'quiet'; testId: string }) {
  const value = run.counts[field];
  return (
    <span data-testid={testId} data-value={value}>
      {run.status === 'scheduled' ? <Typography.Text type="secondary">—</Typography.Text> : value}
    </span>
  );
}

/** Recent runs, newest first, with their outcome counts. */
export function ReminderRuns({
  runs,
  loading,
  error,
  names,
  onOpen,
}: {
  runs: readonly ReminderRun[];
  loading: boolean;
  error: string | null;
  names: TargetNames;
  onOpen(run: ReminderRun): void;
}) {
  return (
    <Card variant="borderless" title="催缴记录">
      {error && (
        <Typography.Paragraph type="danger" data-testid="reminder-runs-error">
          加载失败：{error}
        </Typography.Paragraph>
      )}
      <Table<ReminderRun>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={[...runs]}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(run) => ({ 'data-testid': 'reminder-run-row', 'data-run-id': run.id, 'data-status': run.status }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: '还没有催缴记录' }}
        columns={[
          {
            title: '状态',
            dataIndex: 'status',
            width: 96,
            render: (_: unknown, run) => (
              <Tag color={REMINDER_STATUS_COLORS[run.status]} data-testid="reminder-run-status" data-status={run.status}>
                {REMINDER_STATUS_LABELS[run.status]}
              </Tag>
            ),
          },
          { title: '发送时间', key: 'when', width: 150, render: (_: unknown, run) => whenText(run) },
          { title: '对象', key: 'target', render: (_: unknown, run) => targetText(run.target, names) },
          { title: '已发送', key: 'sent', width: 80, align: 'right', render: (_: unknown, run) => <Count run={run} field="sent" testId="reminder-run-sent" /> },
          {
            title: <Tooltip title="家长未允许订阅消息（微信错误码 43101）">未订阅</Tooltip>,
            key: 'refused',
            width: 80,
            align: 'right',
            render: (_: unknown, run) => <Count run={run} field="refused" testId="reminder-run-refused" />,
          },
          { title: '失败', key: 'failed', width: 72, align: 'right', render: (_: unknown, run) => <Count run={run} field="failed" testId="reminder-run-failed" /> },
          {
            title: <Tooltip title="静默期内已提醒过同一账单，本次跳过">静默期跳过</Tooltip>,
            key: 'quiet',
            width: 100,
            align: 'right',
            render: (_: unknown, run) => <Count run={run} field="quiet" testId="reminder-run-quiet" />,
          },
          {
            title: '操作',
            key: 'actions',
            width: 72,
            render: (_: unknown, run) => (
              <Button type="link" size="small" onClick={() => onOpen(run)} data-testid="reminder-run-view">
                查看
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
