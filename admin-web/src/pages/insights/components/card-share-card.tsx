import { useMemo } from 'react';
import { Card, Col, Row, Table, Tag, Typography } from 'antd';
import { CARD_CLASS_LABELS, displayYuan, type CardShareReport, type CardShareRow } from '@campuspay/shared';
import { cardSharePieOption, formatShareBp, ownCardShareBp } from '../insight-view.ts';
import { EChart } from '../../../components/echart.tsx';

type BankTypeRow = CardShareReport['byBankType'][number];

/** Which cards parents paid with: classes as a pie and a table, and every WeChat bank_type seen. */
export function CardShareCard({ report, loading }: { report: CardShareReport | null; loading: boolean }) {
  const option = useMemo(() => cardSharePieOption(report?.rows ?? []), [report]);
  const rows = report?.rows.filter((row) => row.count > 0) ?? [];
  const own = report ? ownCardShareBp(report.rows) : 0;
  return (
    <Card
      variant="borderless"
      title="支付卡类占比"
      loading={loading && !report}
      extra={
        report && (
          <span data-testid="insights-own-card-share" data-value={own}>
            本行卡金额占比 <Typography.Text strong>{formatShareBp(own)}</Typography.Text>
            {report.ownBankCodes.length === 0 && <Typography.Text type="secondary">（未配置本行银行代码）</Typography.Text>}
          </span>
        )
      }
    >
      {rows.length === 0 ? (
        <Typography.Text type="secondary">期间内没有微信支付</Typography.Text>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <EChart option={option} height={280} testId="insights-card-share-chart" />
          </Col>
          <Col xs={24} lg={14}>
            <Table<CardShareRow>
              rowKey="cardClass"
              size="small"
              pagination={false}
              dataSource={rows}
              onRow={(row) => ({ 'data-testid': 'insights-card-row', 'data-card-class': row.cardClass, 'data-amount': row.amountFen, 'data-count': row.count }) as never}
              columns={[
                { title: '卡类', dataIndex: 'label' },
                { title: '笔数', dataIndex: 'count', align: 'right' },
                { title: '金额', dataIndex: 'amountFen', align: 'right', render: (fen: number) => displayYuan(fen) },
                { title: '金额占比', dataIndex: 'amountShareBp', align: 'right', render: (bp: number) => formatShareBp(bp) },
              ]}
            />
            <Table<BankTypeRow>
              style={{ marginTop: 16 }}
              rowKey="bankType"
              size="small"
              pagination={false}
              dataSource={report?.byBankType ?? []}
              onRow={(row) => ({ 'data-testid': 'insights-bank-type-row', 'data-bank-type': row.bankType, 'data-card-class': row.cardClass, 'data-amount': row.amountFen }) as never}
              columns={[
                { title: '付款银行（微信 bank_type）', dataIndex: 'bankType' },
                { title: '卡类', dataIndex: 'cardClass', render: (cardClass: BankTypeRow['cardClass']) => <Tag>{CARD_CLASS_LABELS[cardClass]}</Tag> },
                { title: '笔数', dataIndex: 'count', align: 'right' },
                { title: '金额', dataIndex: 'amountFen', align: 'right', render: (fen: number) => displayYuan(fen) },
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
