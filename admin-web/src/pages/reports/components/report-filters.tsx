import { useMemo } from 'react';
import { DatePicker, Select, TreeSelect } from 'antd';
import dayjs from 'dayjs';
import { businessDay, type FeeItem, type OrgNode } from '@campuspay/shared';
import { orgSelectTree } from '../../../org/org-tree.ts';
import { periodPresets } from '../report-view.ts';

const ALL = 'all';

/** The organisation narrowing of a report: a campus, division, grade or class inside the scope. */
export function NodeFilter({ nodes, rootId, value, onChange, testId }: { nodes: readonly OrgNode[]; rootId: string | undefined; value: string | undefined; onChange(value: string | undefined): void; testId: string }) {
  const tree = useMemo(
    () => orgSelectTree(nodes, { rootId, visibleKinds: ['campus', 'division', 'grade', 'class'], selectableKinds: ['campus', 'division', 'grade', 'class'] }),
    [nodes, rootId],
  );
  return (
    <TreeSelect
      allowClear
      placeholder="全部范围"
      treeData={tree}
      value={value}
      onChange={(next?: string) => onChange(next ?? undefined)}
      showSearch
      treeNodeFilterProp="label"
      treeNodeLabelProp="fullTitle"
      style={{ width: 230 }}
      popupMatchSelectWidth={false}
      listHeight={360}
      data-testid={testId}
    />
  );
}

export function FeeItemFilter({ items, value, onChange, testId }: { items: readonly FeeItem[]; value: string | undefined; onChange(value: string | undefined): void; testId: string }) {
  return (
    <Select<string>
      showSearch
      optionFilterProp="label"
      value={value ?? ALL}
      onChange={(next) => onChange(next === ALL ? undefined : next)}
      style={{ width: 210 }}
      popupMatchSelectWidth={false}
      options={[{ value: ALL, label: '全部收费项目' }, ...items.map((item) => ({ value: item.id, label: `${item.name}（${item.periodLabel}）` }))]}
      data-testid={testId}
    />
  );
}

/** An inclusive period of business days, with quick presets; empty = all time (when allowed). */
export function PeriodFilter({
  from,
  to,
  onChange,
  allowClear = true,
  testId,
}: {
  from: string | undefined;
  to: string | undefined;
  onChange(from: string | undefined, to: string | undefined): void;
  allowClear?: boolean;
  testId: string;
}) {
  const today = businessDay();
  return (
    // A wrapper carries the test id: the range picker copies it onto both of its inputs.
    <span data-testid={testId}>
      <DatePicker.RangePicker
        allowClear={allowClear}
        allowEmpty={[true, true]}
        value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
        onChange={(range) => onChange(range?.[0]?.format('YYYY-MM-DD') ?? undefined, range?.[1]?.format('YYYY-MM-DD') ?? undefined)}
        presets={periodPresets(today).map((preset) => ({ label: preset.label, value: [dayjs(preset.from), dayjs(preset.to)] }))}
        disabledDate={(day) => day.format('YYYY-MM-DD') > today}
        placeholder={['开始日期', '结束日期']}
        style={{ width: 260 }}
      />
    </span>
  );
}
