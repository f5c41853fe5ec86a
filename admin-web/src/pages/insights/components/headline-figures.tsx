import type { ReactNode } from 'react';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { displayYuan, type InsightOverview } from '@campuspay/shared';
import { collectedFen, upliftView } from '../insight-view.ts';

function Figure({ title, value, note, testId, dataValue }: { title: string; value: ReactNode; note: ReactNode; testId: string; dataValue: number | null }) {
  return (
    <Col xs={24} sm={12} xl={6}>
      <Card variant="borderless" style={{ height: '100%' }} data-testid={testId} data-value={dataValue ?? ''}>
        <Statistic title={title} valueRender={() => <span>{value}</span>} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {note}
        </Typography.Text>
      </Card>
    </Col>
  );
}

/** The four numbers a branch manager looks at first: money collected, deposit uplift, net inflow and paying parents. */
export function HeadlineFigures({ overview }: { overview: InsightOverview }) {
  const { figures, reach, balances } = overview;
  const collected = collectedFen(figures);
  const uplift = upliftView(balances, figures.settledNetFen);
  return (
    <Row gutter={[16, 16]}>
      <Figure
        title="收款金额"
        value={displayYuan(collected)}
        note={`微信支付 ${displayYuan(figures.onlineFen)}（${figures.onlineCount} 笔），柜台 ${displayYuan(figures.counterFen)}（${figures.counterCount} 笔）`}
        testId="insights-figure-collected"
        dataValue={collected}
      />
      <Figure title="存款拉动（较基准）" value={uplift.text} note={uplift.note} testId="insights-figure-uplift" dataValue={uplift.fen} />
      <Figure
        title="结算净流入（估算）"
        value={displayYuan(figures.settledNetFen)}
        note={`净流入 ${displayYuan(figures.netInflowFen)}，退款 ${displayYuan(figures.refundFen)}，微信手续费约 ${displayYuan(figures.estimatedFeeFen)}`}
        testId="insights-figure-settled"
        dataValue={figures.settledNetFen}
      />
      <Figure
        title="缴费家长"
        value={`${reach.parentsPaid} 人`}
        note={`本期新增 ${figures.newPayingParents} 人；已绑定家长 ${reach.parentsReached} 人，学生 ${reach.students} 名`}
        testId="insights-figure-payers"
        dataValue={reach.parentsPaid}
      />
    </Row>
  );
}
