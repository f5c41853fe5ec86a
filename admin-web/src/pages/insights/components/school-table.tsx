import { Button, Card, Table } from 'antd';
import { displayYuan, type SchoolRanking } from '@campuspay/shared';
import { collectedFen } from '../insight-view.ts';

type SchoolRow = SchoolRanking['items'][number];

/** Campuses under the node ranked by net inflow; 查看 drills into one. */
export function SchoolTable({ ranking, loading, onOpen }: { ranking: SchoolRanking | null; loading: boolean; onOpen(campusId: string): void }) {
  const money = (fen: number) => displayYuan(fen);
  return (
    <Card variant="borderless" title="学校排名（按净流入）" styles={{ body: { padding: 0 } }}>
      <Table<SchoolRow>
        rowKey={(row) => row.campus.id}
        size="middle"
        loading={loading}
        dataSource={ranking?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: '期间内没有学校收款' }}
        onRow={(row) => ({ 'data-testid': 'insights-school-row', 'data-campus-id': row.campus.id, 'data-net': row.figures.netInflowFen }) as never}
        columns={[
          { title: '排名', dataIndex: 'rank', width: 64 },
          { title: '学校（校区）', key: 'campus', render: (_: unknown, row) => row.campus.name },
          { title: '所属集团', dataIndex: 'groupName' },
          { title: '收款', key: 'collected', align: 'right', render: (_: unknown, row) => money(collectedFen(row.figures)) },
          { title: '微信支付', key: 'online', align: 'right', render: (_: unknown, row) => money(row.figures.onlineFen) },
          { title: '柜台', key: 'counter', align: 'right', render: (_: unknown, row) => money(row.figures.counterFen) },
          { title: '退款', key: 'refund', align: 'right', render: (_: unknown, row) => money(row.figures.refundFen) },
          { title: '净流入', key: 'net', align: 'right', render: (_: unknown, row) => money(row.figures.netInflowFen) },
          { title: '新增缴费家长', key: 'payers', align: 'right', render: (_: unknown, row) => row.figures.newPayingParents },
          {
            title: '操作',
            key: 'open',
            width: 80,
            fixed: 'right',
            render: (_: unknown, row) => (
              <Button type="link" size="small" onClick={() => onOpen(row.campus.id)} data-testid="insights-school-open">
                查看
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
