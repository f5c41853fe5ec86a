import { useEffect, useMemo, useState, type HTMLAttributes, type Key } from 'react';
import { ReloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Col, Descriptions, Row, Segmented, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { shanghai } from '@campuspay/shared';
import { Link } from 'react-router-dom';
import { useBillLookup } from '../../billing/use-bill-lookup.ts';
import { describeError } from '../../services/describe-error.ts';
import * as exceptionsService from '../../services/exceptions.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { ResolveModal } from './components/resolve-modal.tsx';
import { EXCEPTION_KIND_LABELS, evidenceText, exceptionKindColor, exceptionKindLabel } from './exception-view.ts';

const ALL = 'all';
type StatusFilter = exceptionsService.ExceptionStatus | typeof ALL;

function time(iso: string | null): string {
  return iso ? shanghai(iso).format('YYYY-MM-DD HH:mm') : '—';
}

/** 异常队列: money matters that need a person, with the evidence the platform kept and what was done. */
export default function ExceptionsPage() {
  const { access } = useSession();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [kind, setKind] = useState<string | undefined>(undefined);
  const [items, setItems] = useState<exceptionsService.PaymentException[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [resolving, setResolving] = useState<exceptionsService.PaymentException | null>(null);
  const [expanded, setExpanded] = useState<readonly Key[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    setItems(null);
    exceptionsService
      .listExceptions({ status: status === ALL ? undefined : status, kind }, controller.signal)
      .then((list) => {
        setItems(list);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, [status, kind, reloadKey]);

  const bills = useBillLookup((items ?? []).filter((item) => expanded.includes(item.id)).map((item) => item.billId));
  const kindOptions = useMemo(
    () => [{ value: ALL, label: '全部类型' }, ...exceptionsService.EXCEPTION_KINDS.map((value) => ({ value, label: EXCEPTION_KIND_LABELS[value] }))],
    [],
  );

  return (
    <PageContainer title="异常队列" subTitle="重复支付、金额不符、退款异常、通知验签失败、对账差异">
      <Card variant="borderless">
        <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }} wrap>
          <Space wrap>
            <Segmented<StatusFilter>
              value={status}
              onChange={setStatus}
              options={[
                { value: 'open', label: '待处理' },
                { value: 'resolved', label: '已处理' },
                { value: ALL, label: '全部' },
              ]}
              data-testid="exception-status-filter"
            />
            <Select<string>
              value={kind ?? ALL}
              onChange={(value) => setKind(value === ALL ? undefined : value)}
              options={kindOptions}
              style={{ width: 180 }}
              data-testid="exception-kind-filter"
            />
          </Space>
          <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)}>
            刷新
          </Button>
        </Space>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Table<exceptionsService.PaymentException>
          rowKey="id"
          loading={items === null && !error}
          dataSource={items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 条` }}
          locale={{ emptyText: status === 'open' ? '没有待处理的异常' : '没有记录' }}
          onRow={(item) => ({ 'data-testid': 'exception-row', 'data-exception-id': item.id, 'data-kind': item.kind, 'data-status': item.status }) as HTMLAttributes<HTMLElement>}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: setExpanded,
            expandedRowRender: (item) => {
              const bill = item.billId ? bills.get(item.billId) : null;
              return (
                <Row gutter={24} data-testid="exception-detail">
                  <Col xs={24} lg={14}>
                    <Typography.Text type="secondary">证据</Typography.Text>
                    <pre
                      data-testid="exception-evidence"
                      style={{ background: '#f6f8fb', padding: 12, borderRadius: 6, maxHeight: 320, overflow: 'auto', fontSize: 12, margin: '4px 0 0' }}
                    >
                      {evidenceText(item.evidence)}
                    </pre>
                  </Col>
                  <Col xs={24} lg={10}>
                    <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
                      {item.billId && (
                        <Descriptions.Item label="账单">
                          {bill ? (
                            <Link to={`/bills?q=${encodeURIComponent(bill.studentNo)}`}>
                              {bill.studentName}（{bill.studentNo}）· {bill.feeItemName}
                            </Link>
                          ) : (
                            item.billId
                          )}
                        </Descriptions.Item>
                      )}
                      {item.orderId && <Descriptions.Item label="订单">{item.orderId}</Descriptions.Item>}
                      {item.refundId && <Descriptions.Item label="退款">{item.refundId}</Descriptions.Item>}
                      {item.resolution && <Descriptions.Item label="处理说明">{item.resolution}</Descriptions.Item>}
                    </Descriptions>
                    <Typography.Text type="secondary">处理记录</Typography.Text>
                    {item.actions.length === 0 ? (
                      <div>
                        <Typography.Text type="secondary">暂无</Typography.Text>
                      </div>
                    ) : (
                      <Timeline
                        style={{ marginTop: 8 }}
                        items={item.actions.map((action, index) => ({
                          key: index,
                          color: action.by === 'system' ? 'gray' : 'green',
                          children: (
                            <span>
                              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                                {time(action.at)} · {action.by === 'system' ? '系统' : action.by}
                              </Typography.Text>
                              <br />
                              {action.action}
                            </span>
                          ),
                        }))}
                      />
                    )}
                  </Col>
                </Row>
              );
            },
          }}
          columns={[
            { title: '发生时间', dataIndex: 'createdAt', width: 140, render: (at: string) => time(at) },
            {
              title: '类型',
              dataIndex: 'kind',
              width: 150,
              render: (k: string) => (
                <Tag color={exceptionKindColor(k)} bordered={false}>
                  {exceptionKindLabel(k)}
                </Tag>
              ),
            },
            { title: '摘要', dataIndex: 'summary' },
            {
              title: '状态',
              dataIndex: 'status',
              width: 88,
              render: (s: exceptionsService.ExceptionStatus) => (s === 'open' ? <Tag color="red" bordered={false}>待处理</Tag> : <Tag bordered={false}>已处理</Tag>),
            },
            {
              title: '操作',
              width: 80,
              render: (_, item) =>
                item.status === 'open' && access.canResolveExceptions ? (
                  <Typography.Link onClick={() => setResolving(item)} data-testid="exception-resolve">
                    处理
                  </Typography.Link>
                ) : null,
            },
          ]}
        />
      </Card>
      <ResolveModal
        item={resolving}
        onClose={() => setResolving(null)}
        onDone={() => {
          setResolving(null);
          setReloadKey((k) => k + 1);
        }}
      />
    </PageContainer>
  );
}
