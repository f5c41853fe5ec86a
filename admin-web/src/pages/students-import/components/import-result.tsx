import { CheckCircleFilled } from '@ant-design/icons';
import { Button, Card, Col, Progress, Result, Row, Statistic, Typography } from 'antd';
import type { ImportSummary } from '@campuspay/shared';
import type { Job } from '../../../services/jobs.ts';
import { jobPercent } from '../../../services/jobs.ts';
import { progressText, summaryText } from '../import-flow.ts';

/** The accepted import running as a job. */
export function ImportProgress({ fileName, job }: { fileName: string; job: Job | null }) {
  const percent = jobPercent(job);
  return (
    <Card variant="borderless" data-testid="import-running">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        正在导入「{fileName}」
      </Typography.Title>
      <Typography.Paragraph type="secondary">文件已通过校验，正在写入名册。可以留在本页等待结果。</Typography.Paragraph>
      <div data-testid="import-progress" data-percent={percent}>
        <Progress percent={percent} status="active" />
      </div>
      <Typography.Text type="secondary">{progressText(job)}</Typography.Text>
    </Card>
  );
}

/** The finished import: how many students were created, updated, left as they were. */
export function ImportSummaryCard({
  fileName,
  summary,
  onViewRoster,
  onAgain,
}: {
  fileName: string;
  summary: ImportSummary;
  onViewRoster(): void;
  onAgain(): void;
}) {
  return (
    <Card variant="borderless" data-testid="import-summary">
      <Result
        status="success"
        icon={<CheckCircleFilled />}
        title="导入完成"
        subTitle={`「${fileName}」${summaryText(summary)}`}
        extra={[
          <Button type="primary" key="roster" onClick={onViewRoster}>
            查看学生名册
          </Button>,
          <Button key="again" onClick={onAgain}>
            继续导入
          </Button>,
        ]}
        style={{ paddingBottom: 8 }}
      >
        <Row gutter={16} style={{ maxWidth: 640, margin: '0 auto', textAlign: 'center' }}>
          <Col span={6}>
            <Statistic title="新增" value={summary.created} suffix="名" valueStyle={{ color: '#2f9e44' }} data-testid="import-created" data-value={summary.created} />
          </Col>
          <Col span={6}>
            <Statistic title="更新" value={summary.updated} suffix="名" valueStyle={{ color: '#1d5bd8' }} data-testid="import-updated" data-value={summary.updated} />
          </Col>
          <Col span={6}>
            <Statistic title="无变化" value={summary.unchanged} suffix="名" data-testid="import-unchanged" data-value={summary.unchanged} />
          </Col>
          <Col span={6}>
            <Statistic title="文件行数" value={summary.rows} suffix="行" data-testid="import-rows" data-value={summary.rows} />
          </Col>
        </Row>
      </Result>
    </Card>
  );
}
