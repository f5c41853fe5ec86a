import { Alert, Col, Descriptions, Drawer, Row, Spin, Statistic, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReminderRun } from '@campuspay/shared';
import { REMINDER_STATUS_COLORS, REMINDER_STATUS_LABELS, failuresText, outcomeFigures, targetText, type TargetNames } from '../reminder-view.ts';

const time = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');

/** One run: its target and times, and what happened to every bill and message. */
export function ReminderRunDrawer({
  run,
  error,
  names,
  onClose,
}: {
  /** Null while the first answer is on its way. */
  run: ReminderRun | null;
  error: string | null;
  names: TargetNames;
  onClose(): void;
}) {
  const failures = run ? failuresText(run.failuresByErrcode) : '';
  return (
    <Drawer open title="催缴详情" width={640} onClose={onClose} data-testid="reminder-run-drawer">
      {error && <Alert type="error" showIcon message={`加载失败：${error}`} style={{ marginBottom: 16 }} />}
      {!run ? (
        <Spin />
      ) : (
        <>
          <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
            <Descriptions.Item label="状态">
              <Tag color={REMINDER_STATUS_COLORS[run.status]} data-testid="reminder-run-drawer-status" data-status={run.status}>
                {REMINDER_STATUS_LABELS[run.status]}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label="对象">{targetText(run.target, names)}</Descriptions.Item>
            <Descriptions.Item label="预约时间">{run.scheduleAt ? time(run.scheduleAt) : '立即发送'}</Descriptions.Item>
            <Descriptions.Item label="开始 / 结束">
              {time(run.startedAt)} / {time(run.finishedAt)}
            </Descriptions.Item>
            <Descriptions.Item label="静默期">{run.quietHours} 小时内同一账单不重复提醒同一家长</Descriptions.Item>
          </Descriptions>
          {run.status === 'scheduled' ? (
            <Typography.Paragraph type="secondary">尚未到发送时间；届时按当时仍未缴的账单发送。</Typography.Paragraph>
          ) : (
            <Row gutter={[16, 16]}>
              {outcomeFigures(run.counts).map((figure) => (
                <Col span={6} key={figure.key}>
                  <Tooltip title={figure.help}>
                    <Statistic title={figure.label} value={figure.value} data-testid={`reminder-figure-${figure.key}`} data-value={figure.value} />
                  </Tooltip>
                </Col>
              ))}
            </Row>
          )}
          {failures && (
            <Alert type="warning" showIcon message="发送失败的原因" description={failures} style={{ marginTop: 16 }} data-testid="reminder-failures" />
          )}
          {run.lastError && <Alert type="error" showIcon message={run.lastError} style={{ marginTop: 16 }} data-testid="reminder-run-error" />}
        </>
      )}
    </Drawer>
  );
}
