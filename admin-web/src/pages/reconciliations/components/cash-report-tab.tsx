import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { DownloadOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { PAYMENT_METHOD_LABELS, businessDay, displayYuan, shanghai, type CashReport } from '@campuspay/shared';
import { useCampusFilter } from '../../../org/campus-filter-context.tsx';
import { describeError } from '../../../services/describe-error.ts';
import { openPdf } from '../../../services/open-pdf.ts';
import * as reconciliationService from '../../../services/reconciliation.ts';
import { isAbortError } from '../../../services/request.ts';
import { saveDownloadedFile } from '../../../services/save-file.ts';
import { cashReportDayProblem, cashReportFallbackName, cashierSections, countsText, handoverRows, type CashLineRow, type HandoverRow } from '../cash-report-view.ts';

const ALL = 'all';

const KIND_COLORS: Readonly<Record<CashLineRow['kind'], string>> = { payment: 'green', reversal: 'volcano', refund: 'orange' };

const signedMoney = (fen: number) => (fen < 0 ? <Typography.Text type="danger">{displayYuan(fen)}</Typography.Text> : displayYuan(fen));

/** 收款 / 冲正 / 退款 / 应交 by method: what the cashier hands over and signs for. */
function HandoverTable({ rows }: { rows: HandoverRow[] }) {
  return (
    <Table<HandoverRow>
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={rows}
      style={{ maxWidth: 720 }}
      onRow={(row) =>
        ({
          'data-testid': 'cash-report-handover-row',
          'data-row': row.key,
          'data-cash': row.cashFen,
          'data-pos': row.posFen,
          'data-transfer': row.transferFen,
          'data-total': row.totalFen,
          style: row.key === 'net' ? { fontWeight: 600 } : undefined,
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        { title: '', dataIndex: 'label', width: 80 },
        { title: '现金', dataIndex: 'cashFen', align: 'right', render: signedMoney },
        { title: 'POS', dataIndex: 'posFen', align: 'right', render: signedMoney },
        { title: '转账', dataIndex: 'transferFen', align: 'right', render: signedMoney },
        { title: '合计', dataIndex: 'totalFen', align: 'right', render: signedMoney },
      ]}
    />
  );
}

/**
 * 交班报表: one day of the counter per cashier — every payment taken,
 * reversal and counter refund made — with the handover by method, printable
 * (PDF) for the cash handover and exportable (.xlsx); both are audited.
 */
export function CashReportTab() {
  const { message } = App.useApp();
  const campusFilter = useCampusFilter();
  const today = businessDay();
  const [day, setDay] = useState(today);
  const [campusId, setCampusId] = useState<string | null>(campusFilter.campusId);
  const [report, setReport] = useState<CashReport | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [busy, setBusy] = useState<'pdf' | 'xlsx' | null>(null);

  useEffect(() => {
    setCampusId(campusFilter.campusId);
  }, [campusFilter.campusId]);

  const query = useMemo(() => ({ day, nodeId: campusId ?? undefined }), [day, campusId]);
  const problem = cashReportDayProblem(day, today);

  useEffect(() => {
    // Until the tree has loaded, the header's campus is not final: asking now would show the wrong scope first.
    if (!campusFilter.ready || problem) return;
    const controller = new AbortController();
    setLoading(true);
    reconciliationService
      .getCashReport(query, controller.signal)
      .then((next) => {
        setReport(next);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, problem, campusFilter.ready, reloadKey]);

  const print = async () => {
    setBusy('pdf');
    try {
      await openPdf(() => reconciliationService.downloadCashReportPdf(query), cashReportFallbackName(query.day, 'pdf'));
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  const exportXlsx = async () => {
    setBusy('xlsx');
    try {
      saveDownloadedFile(await reconciliationService.exportCashReport(query), cashReportFallbackName(query.day, 'xlsx'));
      message.success('已导出交班报表');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setBusy(null);
    }
  };

  // A report of another day or campus stays on screen while the next loads; its sections are only shown for what was asked.
  const shown = report && report.day === day ? report : null;
  const sections = useMemo(() => (shown ? cashierSections(shown) : []), [shown]);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Space wrap size={[12, 12]}>
          {/* A wrapper carries the test id: the picker's own props land on an inner element. */}
          <span data-testid="cash-report-day">
            <DatePicker
              value={dayjs(day)}
              allowClear={false}
              onChange={(next) => {
                if (next) setDay(next.format('YYYY-MM-DD'));
              }}
              disabledDate={(d) => cashReportDayProblem(d.format('YYYY-MM-DD'), today) !== null}
              placeholder="营业日"
              style={{ width: 160 }}
            />
          </span>
          {campusFilter.enabled && (
            <Select<string>
              value={campusId ?? ALL}
              onChange={(value) => setCampusId(value === ALL ? null : value)}
              style={{ width: 200 }}
              options={[{ value: ALL, label: '全部校区' }, ...campusFilter.campuses.map((campus) => ({ value: campus.id, label: campus.name }))]}
              data-testid="cash-report-campus"
            />
          )}
          <Button icon={<PrinterOutlined />} loading={busy === 'pdf'} disabled={problem !== null || busy !== null} onClick={() => void print()} data-testid="cash-report-print">
            打印
          </Button>
          <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} disabled={problem !== null || busy !== null} onClick={() => void exportXlsx()} data-testid="cash-report-export">
            导出 Excel
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)} aria-label="刷新" data-testid="cash-report-reload" />
          <Typography.Text type="secondary">
            营业日按北京时间{shown ? `；范围：${shown.scope.label}` : ''}。冲正、退款以负数列出，应交 = 收款 − 冲正 − 退款。
          </Typography.Text>
        </Space>
      </Card>
      {problem && <Alert type="warning" showIcon message={problem} />}
      {error && <Alert type="error" showIcon message={error} data-testid="cash-report-error" />}
      {!shown ? (
        <Card variant="borderless" loading={loading || !campusFilter.ready} style={{ minHeight: 160 }} />
      ) : sections.length === 0 ? (
        <Card variant="borderless" loading={loading}>
          <Empty description="当日无柜台收款、冲正或退款" data-testid="cash-report-empty" />
        </Card>
      ) : (
        <>
          {sections.map((section) => (
            <Card
              key={section.cashierId}
              variant="borderless"
              loading={loading}
              title={`收款人：${section.cashierName}`}
              extra={<Typography.Text type="secondary">{countsText(section.counts)}</Typography.Text>}
              data-testid="cash-report-cashier"
              data-cashier-id={section.cashierId}
              data-cashier-name={section.cashierName}
              data-net={section.net.totalFen}
            >
              <Space direction="vertical" size={16} style={{ width: '100%' }}>
                <Table<CashLineRow>
                  rowKey="key"
                  size="small"
                  dataSource={section.lines}
                  pagination={false}
                  scroll={{ x: 980 }}
                  onRow={(line) =>
                    ({
                      'data-testid': 'cash-report-line',
                      'data-kind': line.kind,
                      'data-method': line.method,
                      'data-value': line.amountFen,
                      'data-receipt-no': line.receiptNo ?? '',
                      'data-reversed': String(line.reversed),
                    }) as HTMLAttributes<HTMLElement>
                  }
                  columns={[
                    { title: '时间', dataIndex: 'at', width: 84, render: (at: string) => shanghai(at).format('HH:mm:ss') },
                    {
                      title: '类型',
                      dataIndex: 'kindLabel',
                      width: 120,
                      render: (label: string, line) => (
                        <Tag color={KIND_COLORS[line.kind]} bordered={false}>
                          {label}
                        </Tag>
                      ),
                    },
                    { title: '学生', dataIndex: 'studentName', width: 100 },
                    { title: '收费项目', dataIndex: 'feeItemName', ellipsis: true },
                    { title: '方式', dataIndex: 'method', width: 96, render: (method: CashLineRow['method']) => PAYMENT_METHOD_LABELS[method] },
                    { title: '凭证号', dataIndex: 'reference', width: 170, render: (reference: string | null) => reference ?? <Typography.Text type="secondary">—</Typography.Text> },
                    { title: '收据号', dataIndex: 'receiptNo', width: 190, render: (no: string | null) => (no ? <Typography.Text style={{ fontSize: 12 }}>{no}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>) },
                    { title: '金额', dataIndex: 'amountFen', width: 120, align: 'right', render: signedMoney },
                  ]}
                />
                <HandoverTable rows={section.handover} />
              </Space>
            </Card>
          ))}
          <Card variant="borderless" loading={loading} title="全部收款人合计" data-testid="cash-report-grand-total" data-net={shown.totals.net.totalFen}>
            <HandoverTable rows={handoverRows(shown.totals)} />
          </Card>
        </>
      )}
    </Space>
  );
}
