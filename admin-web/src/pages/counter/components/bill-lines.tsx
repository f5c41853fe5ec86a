import { Checkbox, Input, Table, Tag, Typography } from 'antd';
import { displayYuan, type Bill } from '@campuspay/shared';
import { lineProblem, type CounterLines } from '../counter-flow.ts';

interface BillLinesProps {
  bills: Bill[];
  lines: CounterLines;
  disabled: boolean;
  onChange(billId: string, patch: { selected?: boolean; amountText?: string }): void;
  /** Enter in an amount: take the payment. */
  onSubmit(): void;
}

/** The student's outstanding bills: tick what is paid now, and how much (partial where allowed). */
export function BillLines({ bills, lines, disabled, onChange, onSubmit }: BillLinesProps) {
  return (
    <Table<Bill>
      size="middle"
      rowKey="id"
      dataSource={bills}
      pagination={false}
      locale={{ emptyText: '该学生没有待缴账单' }}
      onRow={(bill) => ({ 'data-testid': 'counter-bill-row', 'data-bill-id': bill.id, 'data-fee-item': bill.feeItemName }) as never}
      columns={[
        {
          title: '',
          width: 40,
          render: (_, bill) => (
            <Checkbox
              checked={lines[bill.id]?.selected ?? false}
              disabled={disabled}
              onChange={(event) => onChange(bill.id, { selected: event.target.checked })}
              aria-label={`缴 ${bill.feeItemName}`}
              data-testid="counter-bill-select"
            />
          ),
        },
        {
          title: '收费项目',
          render: (_, bill) => (
            <span>
              {bill.feeItemName}
              {!bill.mandatory && (
                <Tag bordered={false} color="gold" style={{ marginInlineStart: 6 }}>
                  选缴
                </Tag>
              )}
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {bill.periodLabel} · 截止 {bill.dueDate}
              </Typography.Text>
            </span>
          ),
        },
        {
          title: '待缴',
          width: 130,
          align: 'right',
          render: (_, bill) => (
            <span>
              {displayYuan(bill.outstandingFen)}
              {bill.concessionFen > 0 && (
                <>
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    已优惠 {displayYuan(bill.concessionFen)}
                  </Typography.Text>
                </>
              )}
            </span>
          ),
        },
        {
          title: '本次缴费',
          width: 200,
          render: (_, bill) => {
            const line = lines[bill.id];
            const problem = line?.selected ? lineProblem(bill, line.amountText) : null;
            return (
              <div>
                <Input
                  prefix="¥"
                  inputMode="decimal"
                  value={line?.amountText ?? ''}
                  disabled={disabled || !line?.selected || !bill.allowPartial}
                  status={problem ? 'error' : undefined}
                  onChange={(event) => onChange(bill.id, { amountText: event.target.value })}
                  onPressEnter={onSubmit}
                  data-testid="counter-bill-amount"
                />
                <Typography.Text type={problem ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                  {problem ?? (bill.allowPartial ? `可部分缴费${bill.minPaymentFen ? `，最低 ${displayYuan(bill.minPaymentFen)}` : ''}` : '须一次缴清')}
                </Typography.Text>
              </div>
            );
          },
        },
      ]}
    />
  );
}
