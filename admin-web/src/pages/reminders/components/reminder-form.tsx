import { useMemo, useState } from 'react';
import { SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Form, Radio, Row, Select, Switch, TreeSelect, Typography } from 'antd';
import dayjs from 'dayjs';
import { MAX_REMINDER_SCHEDULE_DAYS, type FeeItem, type OrgNode, type ReminderRun } from '@campuspay/shared';
import { orgSelectTree } from '../../../org/org-tree.ts';
import { describeError } from '../../../services/describe-error.ts';
import * as remindersService from '../../../services/reminders.ts';
import { EMPTY_REMINDER_DRAFT, isSchedulable, reminderRequestOf, targetText, type ReminderDraft, type TargetNames } from '../reminder-view.ts';

interface ReminderFormProps {
  nodes: readonly OrgNode[];
  /** Top of the organisation picker: the header's campus, else the user's scope. */
  rootId: string | undefined;
  /** Fee items that may still be reminded of (not archived). */
  feeItems: readonly FeeItem[];
  names: TargetNames;
  onSent(run: ReminderRun): void;
}

/** 发起催缴: who (organisation node, fee item, only overdue) and when (now or a chosen time), confirmed before sending. */
export function ReminderForm({ nodes, rootId, feeItems, names, onSent }: ReminderFormProps) {
  const { modal, message } = App.useApp();
  const [draft, setDraft] = useState<ReminderDraft>(EMPTY_REMINDER_DRAFT);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const tree = useMemo(
    () => orgSelectTree(nodes, { rootId, visibleKinds: ['campus', 'division', 'grade', 'class'], selectableKinds: ['campus', 'division', 'grade', 'class'] }),
    [nodes, rootId],
  );

  const update = (patch: Partial<ReminderDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setProblem(null);
  };

  const send = () => {
    const request = reminderRequestOf(draft, new Date());
    if (!request.ok) {
      setProblem(request.message);
      return;
    }
    const { scheduleAt } = request.value;
    modal.confirm({
      title: scheduleAt ? `预约于 ${dayjs(scheduleAt).format('YYYY-MM-DD HH:mm')} 发送催缴？` : '立即发送催缴？',
      content: (
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          对象：{targetText(request.value.target, names)}
          <br />
          已绑定的家长会收到微信订阅消息；静默期内已提醒过同一账单的家长不会重复收到。
        </Typography.Paragraph>
      ),
      okText: scheduleAt ? '确认预约' : '确认发送',
      cancelText: '再看看',
      okButtonProps: { 'data-testid': 'reminder-send-confirm' } as never,
      onOk: async () => {
        setSending(true);
        try {
          const run = await remindersService.createReminder(request.value);
          message.success(scheduleAt ? '已预约催缴' : '催缴已开始发送');
          setDraft((current) => ({ ...current, when: 'now', scheduleAt: undefined }));
          onSent(run);
        } catch (err) {
          setProblem(describeError(err));
        } finally {
          setSending(false);
        }
      },
    });
  };

  return (
    <Card variant="borderless" title="发起催缴">
      <Form layout="vertical" disabled={sending}>
        <Row gutter={16}>
          <Col xs={24} md={9}>
            <Form.Item label="范围" extra="校区、学部、年级或班级；不选则为全部范围">
              <TreeSelect
                allowClear
                placeholder="全部范围"
                treeData={tree}
                value={draft.nodeId}
                onChange={(nodeId?: string) => update({ nodeId: nodeId ?? undefined })}
                showSearch
                treeNodeFilterProp="label"
                treeNodeLabelProp="fullTitle"
                listHeight={360}
                style={{ width: '100%' }}
                data-testid="reminder-node"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={9}>
            <Form.Item label="收费项目" extra="不选则提醒所有未缴账单">
              <Select<string>
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder="全部收费项目"
                value={draft.feeItemId}
                onChange={(feeItemId?: string) => update({ feeItemId: feeItemId ?? undefined })}
                options={feeItems.map((item) => ({ value: item.id, label: `${item.name}（${item.periodLabel}）` }))}
                data-testid="reminder-fee-item"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item label="只提醒逾期账单" extra="已过缴费截止日期的账单">
              <Switch checked={draft.overdueOnly} onChange={(overdueOnly) => update({ overdueOnly })} data-testid="reminder-overdue" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="发送时间" style={{ marginBottom: 12 }}>
          <Radio.Group
            value={draft.when}
            onChange={(event) => update({ when: event.target.value as ReminderDraft['when'] })}
            options={[
              { value: 'now', label: '立即发送' },
              { value: 'scheduled', label: '预约发送' },
            ]}
            data-testid="reminder-when"
          />
          {draft.when === 'scheduled' && (
            // A wrapper carries the test id: the picker puts its props on an inner element.
            <span data-testid="reminder-schedule-at" style={{ marginInlineStart: 12 }}>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                value={draft.scheduleAt ? dayjs(draft.scheduleAt) : null}
                onChange={(value) => update({ scheduleAt: value ? value.second(0).millisecond(0).toISOString() : undefined })}
                disabledDate={(day) => day.isBefore(dayjs(), 'day') || day.isAfter(dayjs().add(MAX_REMINDER_SCHEDULE_DAYS, 'day'), 'day')}
                placeholder="选择日期和时间"
              />
            </span>
          )}
          {draft.when === 'scheduled' && draft.scheduleAt && !isSchedulable(new Date(draft.scheduleAt), new Date()) && (
            <Typography.Text type="warning" style={{ marginInlineStart: 12 }}>
              请选择现在之后 {MAX_REMINDER_SCHEDULE_DAYS} 天以内的时间
            </Typography.Text>
          )}
        </Form.Item>
        {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} data-testid="reminder-problem" />}
        <Button type="primary" icon={<SendOutlined />} loading={sending} onClick={send} data-testid="reminder-send">
          {draft.when === 'scheduled' ? '预约催缴' : '发送催缴'}
        </Button>
      </Form>
    </Card>
  );
}
