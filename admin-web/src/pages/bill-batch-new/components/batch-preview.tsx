import { Alert, Card, Col, Progress, Row, Statistic, Typography } from 'antd';
import { displayYuan, type BillBatch } from '@campuspay/shared';
import type { Job } from '../../../services/jobs.ts';
import { jobPercent } from '../../../services/jobs.ts';
import { previewWarning, publishProgressText } from '../batch-flow.ts';

/** What publishing the draft would issue, as the server priced it. */
export function BatchPreviewCard({ batch, stale }: { batch: BillBatch; stale?: boolean }) {
  const { preview } = batch;
  const warning = previewWarning(batch);
  return (
    <Card variant="borderless" title="发布预览" data-testid="batch-preview-card" style={stale ? { opacity: 0.5 } : undefined}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={5}>
          <Statistic title="将发布账单" value={preview.bills} suffix="张" valueStyle={{ color: '#1d5bd8' }} data-testid="batch-preview-count" data-value={preview.bills} />
        </Col>
        <Col xs={12} md={5}>
          <div data-testid="batch-preview-total" data-value={preview.totalFen}>
            <Statistic title="应收合计" value={displayYuan(preview.totalFen)} />
          </div>
        </Col>
        <Col xs={12} md={5}>
          <div data-testid="batch-preview-concession" data-value={preview.concessionFen}>
            <Statistic title="自动优惠合计" value={displayYuan(preview.concessionFen)} valueStyle={{ color: preview.concessionFen > 0 ? '#2f9e44' : undefined }} />
          </div>
        </Col>
        <Col xs={12} md={5}>
          <div data-testid="batch-preview-net" data-value={preview.totalFen - preview.concessionFen}>
            <Statistic title="优惠后待收" value={displayYuan(preview.totalFen - preview.concessionFen)} />
          </div>
        </Col>
        <Col xs={24} md={4}>
          <Typography.Text type="secondary">跳过的学生</Typography.Text>
          <div data-testid="batch-preview-skipped-existing" data-value={preview.skippedExisting}>
            已有本期账单：{preview.skippedExisting} 人
          </div>
          <div data-testid="batch-preview-skipped-no-price" data-value={preview.skippedNoPrice}>
            无匹配价格：{preview.skippedNoPrice} 人
          </div>
        </Col>
      </Row>
      {warning && <Alert type="warning" showIcon message={warning} style={{ marginTop: 16 }} data-testid="batch-preview-warning" />}
      {!warning && preview.skippedNoPrice > 0 && (
        <Alert type="info" showIcon style={{ marginTop: 16 }} message={`有 ${preview.skippedNoPrice} 名学生所在的学部/年级/班级没有设置价格，不会收到账单。`} />
      )}
    </Card>
  );
}

/** The publish job running. */
export function PublishProgress({ job }: { job: Job | null }) {
  const percent = jobPercent(job);
  return (
    <Card variant="borderless" data-testid="batch-publishing">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        正在发布账单
      </Typography.Title>
      <Typography.Paragraph type="secondary">发布在后台进行，可以留在本页等待结果；中途中断后再次点击发布不会重复出账。</Typography.Paragraph>
      <div data-testid="batch-progress" data-percent={percent}>
        <Progress percent={percent} status="active" />
      </div>
      <Typography.Text type="secondary">{publishProgressText(job)}</Typography.Text>
    </Card>
  );
}
