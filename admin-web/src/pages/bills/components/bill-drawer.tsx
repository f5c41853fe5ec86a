import { useCallback, useEffect, useState } from 'react';
import { FilePdfOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Drawer, Empty, List, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { CONCESSION_KIND_LABELS, PAYMENT_METHOD_LABELS, displayYuan, shanghai, type Bill, type OfflinePayment } from '@campuspay/shared';
import {
  BILL_STATUS_COLORS,
  CONCESSION_STATUS_COLORS,
  CONCESSION_STATUS_LABELS,
  billFigures,
  billStatusLabel,
} from '../../../billing/bill-display.ts';
import { REFUND_CHANNEL_LABELS, REFUND_STATUS_COLORS, REFUND_STATUS_LABELS } from '../../../billing/refund-display.ts';
import { openReceiptPdf } from '../../../billing/receipt-pdf.ts';
import * as billingService from '../../../services/billing.ts';
import * as counterService from '../../../services/counter.ts';
import { describeError } from '../../../services/describe-error.ts';
import * as refundsService from '../../../services/refunds.ts';
import { isAbortError } from '../../../services/request.ts';
import { BILL_ACTION_LABELS, type BillAction } from '../bill-actions.ts';

interface BillDrawerProps {
  billId: string | null;
  /** The answer of the last action on this bill: shown at once. */
  latest: Bill | null;
  /** Bumped after an action that changes payments or refunds. */
  refreshKey: number;
  actionsFor(bill: Bill): BillAction[];
  canApprove: boolean;
  onAction(action: BillAction, bill: Bill): void;
  onDecide(bill: Bill, concession: Bill['concessions'][number]): void;
  onClose(): void;
  onError(message: string): void;
}

function time(iso: string): string {
  return shanghai(iso).format('YYYY-MM-DD HH:mm');
}

/** 账单详情: the figures, concessions, counter payments and refunds of one bill. */
export function BillDrawer({ billId, latest, refreshKey, actionsFor, canApprove, onAction, onDecide, onClose, onError }: BillDrawerProps) {
  const [bill, setBill] = useState<Bill | null>(null);
  const [payments, setPayments] = useState<OfflinePayment[] | null>(null);
  const [refunds, setRefunds] = useState<refundsService.Refund[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState<string | null>(null);

  const load = useCallback(async (id: string, signal: AbortSignal) => {
    setError(null);
    try {
      const [loaded, paid, refunded] = await Promise.all([
        billingService.getBill(id, signal),
        counterService.listOfflinePayments({ billId: id }, signal),
        refundsService.listRefunds({ billId: id }, signal),
      ]);
      setBill(loaded);
      setPayments(paid);
      setRefunds(refunded);
    } catch (err) {
      if (!isAbortError(err)) setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    if (!billId) {
      setBill(null);
      setPayments(null);
      setRefunds(null);
      return;
    }
    const controller = new AbortController();
    void load(billId, controller.signal);
    return () => controller.abort();
  }, [billId, refreshKey, load]);

  useEffect(() => {
    if (latest && latest.id === billId) setBill(latest);
  }, [latest, billId]);

  const shown = bill && bill.id === billId ? bill : null;
  const offlineKept = (payments ?? []).filter((p) => !p.reversed).reduce((sum, p) => sum + p.amountFen, 0);
  const onlinePaid = shown ? shown.paidFen - offlineKept : 0;
  const actions = shown ? actionsFor(shown).filter((a) => a !== 'approve') : [];

  const openPdf = async (receiptNo: string) => {
    setOpening(receiptNo);
    try {
      await openReceiptPdf(receiptNo);
    } catch (err) {
      onError(describeError(err));
    } finally {
      setOpening(null);
    }
  };

  return (
    <Drawer
      open={billId !== null}
      onClose={onClose}
      width={760}
      data-testid="bill-drawer"
      title={
        shown ? (
          <Space>
            <span>{shown.studentName}</span>
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
              {shown.studentNo} · {shown.className}
            </Typography.Text>
            <Tag color={BILL_STATUS_COLORS[shown.status]} bordered={false} data-testid="bill-drawer-status" data-status={shown.status}>
              {billStatusLabel(shown.status)}
            </Tag>
          </Space>
        ) : (
          '账单详情'
        )
      }
      extra={
        shown && actions.length > 0 ? (
          <Space wrap>
            {actions.map((action) => (
              <Button key={action} size="small" danger={action === 'cancel'} onClick={() => onAction(action, shown)} data-testid={`bill-drawer-${action}`}>
                {BILL_ACTION_LABELS[action]}
              </Button>
            ))}
          </Space>
        ) : null
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {!shown && !error && <Skeleton active paragraph={{ rows: 10 }} />}
      {shown && (
        <Space direction="vertical" size={20} style={{ width: '100%' }}>
          <Card size="small" variant="borderless" style={{ background: '#f6f8fb' }}>
            <Row gutter={8}>
              {billFigures(shown).map((figure) => (
                <Col span={figure.key === 'outstandingFen' ? 6 : 4} key={figure.key}>
                  <div data-testid={`bill-figure-${figure.key}`} data-value={figure.fen}>
                    <Statistic
                      title={figure.label}
                      value={displayYuan(figure.fen)}
                      valueStyle={{ fontSize: figure.key === 'outstandingFen' ? 22 : 16, color: figure.key === 'outstandingFen' && figure.fen > 0 ? '#d4380d' : undefined }}
                    />
                  </div>
                </Col>
              ))}
            </Row>
          </Card>

          <Descriptions size="small" column={2} bordered styles={{ label: { width: 96 } }}>
            <Descriptions.Item label="收费项目">{shown.feeItemName}</Descriptions.Item>
            <Descriptions.Item label="期间">{shown.periodLabel}</Descriptions.Item>
            <Descriptions.Item label="截止日期">{shown.dueDate}</Descriptions.Item>
            <Descriptions.Item label="缴费要求">
              {shown.mandatory ? '必缴' : '选缴'}
              {shown.allowPartial ? `，可部分缴费${shown.minPaymentFen ? `（最低 ${displayYuan(shown.minPaymentFen)}）` : ''}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="账单编号" span={2}>
              <Typography.Text copyable style={{ fontSize: 12 }}>
                {shown.id}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>

          <div>
            <Typography.Title level={5}>优惠与减免</Typography.Title>
            {shown.concessions.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有优惠" />
            ) : (
              <List
                size="small"
                bordered
                dataSource={shown.concessions}
                data-testid="bill-concessions"
                renderItem={(c) => (
                  <List.Item
                    data-testid="bill-concession-item"
                    data-concession-id={c.id}
                    data-status={c.status}
                    actions={
                      canApprove && c.status === 'pending_approval'
                        ? [
                            <Button key="decide" size="small" type="primary" ghost onClick={() => onDecide(shown, c)} data-testid="bill-concession-decide">
                              审批
                            </Button>,
                          ]
                        : []
                    }
                  >
                    <List.Item.Meta
                      title={
                        <Space>
                          <span>{c.label}</span>
                          <Tag bordered={false}>{CONCESSION_KIND_LABELS[c.kind]}</Tag>
                          <Tag color={CONCESSION_STATUS_COLORS[c.status]} bordered={false}>
                            {CONCESSION_STATUS_LABELS[c.status]}
                          </Tag>
                        </Space>
                      }
                      description={c.reason}
                    />
                    <Typography.Text strong delete={c.status === 'rejected'}>
                      {displayYuan(c.amountFen)}
                    </Typography.Text>
                  </List.Item>
                )}
              />
            )}
          </div>

          <div>
            <Typography.Title level={5}>缴费记录</Typography.Title>
            {onlinePaid > 0 && (
              <Typography.Paragraph type="secondary" data-testid="bill-online-paid" data-value={onlinePaid}>
                微信支付合计 {displayYuan(onlinePaid)}（明细见对账与报表）
              </Typography.Paragraph>
            )}
            <Table<OfflinePayment>
              size="small"
              rowKey="id"
              loading={payments === null}
              dataSource={payments ?? []}
              pagination={false}
              locale={{ emptyText: '没有柜台缴费记录' }}
              data-testid="bill-payments"
              columns={[
                { title: '时间', dataIndex: 'at', width: 140, render: (at: string) => time(at) },
                { title: '方式', dataIndex: 'method', width: 90, render: (m: OfflinePayment['method']) => PAYMENT_METHOD_LABELS[m] },
                { title: '金额', dataIndex: 'amountFen', width: 110, align: 'right', render: (fen: number, p) => <Typography.Text delete={p.reversed}>{displayYuan(fen)}</Typography.Text> },
                { title: '凭证号', dataIndex: 'reference', render: (r: string | null) => r ?? '—' },
                {
                  title: '收据',
                  dataIndex: 'receiptNo',
                  width: 190,
                  render: (no: string, p) => (
                    <Space size={4}>
                      <Typography.Text style={{ fontSize: 12 }}>{no}</Typography.Text>
                      {p.reversed ? (
                        <Tag bordered={false}>已冲正</Tag>
                      ) : (
                        <Button size="small" type="link" icon={<FilePdfOutlined />} loading={opening === no} onClick={() => void openPdf(no)} aria-label="收据 PDF" />
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          </div>

          <div>
            <Typography.Title level={5}>退款</Typography.Title>
            <Table<refundsService.Refund>
              size="small"
              rowKey="id"
              loading={refunds === null}
              dataSource={refunds ?? []}
              pagination={false}
              locale={{ emptyText: '没有退款' }}
              data-testid="bill-refunds"
              onRow={(r) => ({ 'data-testid': 'bill-refund-row', 'data-status': r.status }) as never}
              columns={[
                { title: '申请时间', dataIndex: 'createdAt', width: 140, render: (at: string) => time(at) },
                { title: '金额', dataIndex: 'amountFen', width: 110, align: 'right', render: (fen: number) => displayYuan(fen) },
                { title: '方式', dataIndex: 'channel', width: 110, render: (c: 'wechat' | 'counter') => REFUND_CHANNEL_LABELS[c] },
                { title: '原因', dataIndex: 'reason', ellipsis: true },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 96,
                  render: (s: refundsService.RefundStatus, r) => (
                    <Space direction="vertical" size={0}>
                      <Tag color={REFUND_STATUS_COLORS[s]} bordered={false}>
                        {REFUND_STATUS_LABELS[s]}
                      </Tag>
                      {r.lastError && (
                        <Typography.Text type="danger" style={{ fontSize: 12 }}>
                          {r.lastError}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
