import { useEffect, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { App, Tabs } from 'antd';
import type { PayeeAccount } from '@campuspay/shared';
import * as billingService from '../../services/billing.ts';
import { describeError } from '../../services/describe-error.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { CashReportTab } from './components/cash-report-tab.tsx';
import { RunsTab } from './components/runs-tab.tsx';
import { SettlementTab } from './components/settlement-tab.tsx';

/**
 * 对账管理: each merchant's day against WeChat's trade bill, its differences,
 * the report, settlement per payee account, and the counter's cash report
 * per cashier (交班报表).
 */
export default function ReconciliationsPage() {
  const { access } = useSession();
  const { message } = App.useApp();
  const [payees, setPayees] = useState<PayeeAccount[]>([]);
  const [tab, setTab] = useState('runs');

  useEffect(() => {
    const controller = new AbortController();
    billingService
      .listPayeeAccounts(controller.signal)
      .then(setPayees)
      .catch((err: unknown) => {
        if (!isAbortError(err)) message.error(`收款账户加载失败：${describeError(err)}`);
      });
    return () => controller.abort();
  }, [message]);

  return (
    <PageContainer title="对账管理" subTitle="微信支付交易账单与平台账簿逐笔核对，差异处理、资金结算与柜台交班">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'runs', label: '微信对账', children: <RunsTab payees={payees} canReconcile={access.canReconcile} canExport={access.canExportReports} /> },
          { key: 'settlement', label: '资金结算', children: <SettlementTab payees={payees} /> },
          // The server's cash-report.read is held by exactly the roles of canViewBilling.
          ...(access.canViewBilling ? [{ key: 'cash-report', label: '交班报表', children: <CashReportTab /> }] : []),
        ]}
        data-testid="reconciliation-tabs"
      />
    </PageContainer>
  );
}
