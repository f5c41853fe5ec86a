import { CheckCircleFilled } from '@ant-design/icons';
import { Button, Card, Col, Result, Row, Statistic } from 'antd';
import { displayYuan, type BillImportResult } from '@campuspay/shared';
import { billImportOutcomeText } from '../bill-import-flow.ts';

/** An accepted file: how many bills were issued and for how much, how many already existed. */
export function BillImportSummary({ fileName, result, onViewBills, onAgain }: { fileName: string; result: BillImportResult; onViewBills(): void; onAgain(): void }) {
  return (
    <Card variant="borderless" data-testid="bill-import-summary" data-import-id={result.importId}>
      <Result
        status="success"
        icon={<CheckCircleFilled />}
        title="导入完成"
        subTitle={`「${fileName}」${billImportOutcomeText(result)}`}
        extra={[
          <Button type="primary" key="bills" onClick={onViewBills}>
            查看账单
          </Button>,
          <Button key="again" onClick={onAgain}>
            继续导入
          </Button>,
        ]}
        style={{ paddingBottom: 8 }}
      >
        <Row gutter={16} style={{ maxWidth: 720, margin: '0 auto', textAlign: 'center' }}>
          <Col span={6}>
            <Statistic title="新开账单" value={result.issued} suffix="张" valueStyle={{ color: '#2f9e44' }} data-testid="bill-import-issued" data-value={result.issued} />
          </Col>
          <Col span={6}>
            <Statistic title="应收合计" value={displayYuan(result.issuedFen)} data-testid="bill-import-total" data-value={result.issuedFen} />
          </Col>
          <Col span={6}>
            <Statistic title="已存在未变动" value={result.unchanged} suffix="张" data-testid="bill-import-unchanged" data-value={result.unchanged} />
          </Col>
          <Col span={6}>
            <Statistic title="文件行数" value={result.rows} suffix="行" data-testid="bill-import-rows" data-value={result.rows} />
          </Col>
        </Row>
      </Result>
    </Card>
  );
}
