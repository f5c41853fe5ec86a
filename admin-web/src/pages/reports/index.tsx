import { useEffect, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { App, Tabs } from 'antd';
import type { FeeItem } from '@campuspay/shared';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import * as billingService from '../../services/billing.ts';
import { describeError } from '../../services/describe-error.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { CollectionTab } from './components/collection-tab.tsx';
import { TakingsTab } from './components/takings-tab.tsx';
import { UnpaidTab } from './components/unpaid-tab.tsx';

/** 收费报表: the collection summary, the unpaid list and daily takings, each exportable to Excel. */
export default function ReportsPage() {
  const { user, access } = useSession();
  const { message } = App.useApp();
  const { nodes } = useOrgNodes();
  const campusFilter = useCampusFilter();
  const [feeItems, setFeeItems] = useState<FeeItem[]>([]);
  const [tab, setTab] = useState('collection');

  useEffect(() => {
    const controller = new AbortController();
    billingService
      .listFeeItems({ includeArchived: true, signal: controller.signal })
      .then(setFeeItems)
      .catch((err: unknown) => {
        if (!isAbortError(err)) message.error(`收费项目加载失败：${describeError(err)}`);
      });
    return () => controller.abort();
  }, [message]);

  const common = { nodes, rootId: user?.scope.nodeId, defaultNodeId: campusFilter.campusId ?? undefined, canExport: access.canExportReports };
  return (
    <PageContainer title="收费报表" subTitle={user ? `范围：${campusFilter.campus?.name ?? user.scope.name}` : undefined}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'collection', label: '收费汇总', children: <CollectionTab {...common} feeItems={feeItems} /> },
          { key: 'unpaid', label: '欠费名单', children: <UnpaidTab {...common} feeItems={feeItems} /> },
          { key: 'takings', label: '每日收款', children: <TakingsTab {...common} /> },
        ]}
        data-testid="report-tabs"
      />
    </PageContainer>
  );
}
