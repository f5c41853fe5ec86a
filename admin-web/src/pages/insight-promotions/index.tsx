import { useEffect, useState, type HTMLAttributes } from 'react';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { PROMOTION_SLOTS, businessDay } from '@campuspay/shared';
import { describeError } from '../../services/describe-error.ts';
import * as orgService from '../../services/org.ts';
import * as promotionSlotsService from '../../services/promotion-slots.ts';
import { isAbortError } from '../../services/request.ts';
import { schoolChoices, type SchoolChoice } from '../insight-data/insight-data-view.ts';
import {
  PROMOTION_SLOT_LABELS,
  PROMOTION_STATE_LABELS,
  checkDraft,
  checkDrafts,
  draftOf,
  moved,
  newPromotion,
  promotionState,
  type PromotionDraft,
  type PromotionState,
} from './promotion-form.ts';

const STATE_COLORS: Record<PromotionState, string> = { showing: 'green', scheduled: 'blue', ended: 'default', disabled: 'default' };

interface Editing {
  /** Null: a new promotion, appended on OK. */
  index: number | null;
  draft: PromotionDraft;
}

function DayInput({ value, onChange, testId }: { value: string; onChange(day: string): void; testId: string }) {
  return (
    // The wrapper carries the test id: the picker's own props land on its input.
    <span data-testid={testId}>
      <DatePicker value={dayjs(value)} allowClear={false} onChange={(day) => onChange(day.format('YYYY-MM-DD'))} style={{ width: 150 }} />
    </span>
  );
}

/**
 * 小程序推广位 (platform admins): what the bank shows parents in the
 * mini-program — on the home page or the payment result page, in this order,
 * between two days, optionally only at some schools. The list is edited here
 * and saved whole; nothing shows where none is configured.
 */
export default function InsightPromotionsPage() {
  const { message } = App.useApp();
  const today = businessDay();
  const [bankId, setBankId] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<PromotionDraft[]>([]);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [editProblem, setEditProblem] = useState<string | null>(null);
  const [schools, setSchools] = useState<SchoolChoice[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    promotionSlotsService
      .getPromotions(controller.signal)
      .then((loaded) => {
        setBankId(loaded.bankId);
        setDrafts(loaded.items.map(draftOf));
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    orgService
      .listOrgNodes({ signal: controller.signal })
      .then((nodes) => setSchools(schoolChoices(nodes)))
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, []);

  const change = (next: PromotionDraft[]) => {
    setDrafts(next);
    setDirty(true);
  };

  const openEditor = (index: number | null) => {
    setEditProblem(null);
    setEditing({ index, draft: index === null ? newPromotion(today) : { ...drafts[index]! } });
  };

  const patch = (fields: Partial<PromotionDraft>) => setEditing((current) => current && { ...current, draft: { ...current.draft, ...fields } });

  const applyEdit = () => {
    if (!editing) return;
    const checked = checkDraft(editing.draft);
    if (!checked.ok) {
      setEditProblem(checked.message);
      return;
    }
    change(editing.index === null ? [...drafts, editing.draft] : drafts.map((d, i) => (i === editing.index ? editing.draft : d)));
    setEditing(null);
  };

  const save = async () => {
    if (!bankId) return;
    const checked = checkDrafts(drafts);
    if (!checked.ok) {
      message.error(checked.message);
      return;
    }
    setSaving(true);
    try {
      const saved = await promotionSlotsService.savePromotions(bankId, checked.inputs);
      setDrafts(saved.items.map(draftOf));
      setDirty(false);
      message.success(saved.items.length ? `已保存 ${saved.items.length} 条推广，家长下次打开小程序即可看到` : '已保存：小程序不再展示推广位');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setSaving(false);
    }
  };

  const schoolName = new Map(schools.map((s) => [s.value, s.label]));
  const draft = editing?.draft;

  return (
    <PageContainer
      title="小程序推广位"
      subTitle="家长在小程序首页、缴费结果页看到的银行推广"
      extra={
        <Space>
          <Button icon={<PlusOutlined />} disabled={!bankId} onClick={() => openEditor(null)} data-testid="promotion-add">
            新增推广
          </Button>
          <Button type="primary" loading={saving} disabled={!bankId || !dirty} onClick={() => void save()} data-testid="promotion-save">
            保存并发布
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Alert
          type="info"
          showIcon
          message="推广位与缴费无关：只展示已启用且在展示期内的推广，按下表顺序；没有配置时小程序不显示任何推广。推广内容不得使用孩子的任何信息。"
        />
        {dirty && <Alert type="warning" showIcon message="有未保存的修改，点「保存并发布」后生效。" data-testid="promotion-dirty" />}
        {error && <Alert type="error" showIcon message={error} />}
        <Card variant="borderless" styles={{ body: { padding: 0 } }}>
          <Table<PromotionDraft & { key: number }>
            size="middle"
            loading={!bankId && !error}
            pagination={false}
            dataSource={drafts.map((d, key) => ({ ...d, key }))}
            locale={{ emptyText: '尚未配置推广，小程序不显示推广位' }}
            onRow={(d) => ({ 'data-testid': 'promotion-row', 'data-promotion-id': d.id ?? '', 'data-slot': d.slot, 'data-state': promotionState(d, today) }) as HTMLAttributes<HTMLElement>}
            columns={[
              { title: '位置', key: 'slot', width: 120, render: (_: unknown, d) => PROMOTION_SLOT_LABELS[d.slot] },
              {
                title: '内容',
                key: 'content',
                render: (_: unknown, d) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>{d.title}</Typography.Text>
                    {d.body && <Typography.Text type="secondary">{d.body}</Typography.Text>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      按钮「{d.ctaText || '—'}」{d.link ? ` → ${d.link}` : '（无链接）'}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: '范围',
                key: 'nodes',
                width: 200,
                render: (_: unknown, d) => (d.nodeIds.length ? d.nodeIds.map((id) => schoolName.get(id) ?? id).join('、') : '本行全部学校'),
              },
              { title: '展示期', key: 'days', width: 200, render: (_: unknown, d) => `${d.startDay} 至 ${d.endDay}` },
              {
                title: '状态',
                key: 'state',
                width: 90,
                render: (_: unknown, d) => {
                  const state = promotionState(d, today);
                  return <Tag color={STATE_COLORS[state]}>{PROMOTION_STATE_LABELS[state]}</Tag>;
                },
              },
              {
                title: '操作',
                key: 'actions',
                width: 170,
                render: (_: unknown, d) => (
                  <Space size={0}>
                    <Button type="text" size="small" icon={<ArrowUpOutlined />} aria-label="上移" disabled={d.key === 0} onClick={() => change(moved(drafts, d.key, -1))} />
                    <Button type="text" size="small" icon={<ArrowDownOutlined />} aria-label="下移" disabled={d.key === drafts.length - 1} onClick={() => change(moved(drafts, d.key, 1))} />
                    <Button type="text" size="small" icon={<EditOutlined />} aria-label="编辑" onClick={() => openEditor(d.key)} data-testid="promotion-edit" />
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label="删除" onClick={() => change(drafts.filter((_, i) => i !== d.key))} data-testid="promotion-delete" />
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Space>
      <Modal
        open={editing !== null}
        title={editing?.index === null ? '新增推广' : '编辑推广'}
        okText="确定"
        onOk={applyEdit}
        onCancel={() => setEditing(null)}
        okButtonProps={{ 'data-testid': 'promotion-form-submit' } as never}
        width={640}
        destroyOnHidden
      >
        {draft && (
          <Form layout="vertical" data-testid="promotion-form">
            <Form.Item label="位置">
              <Select
                value={draft.slot}
                onChange={(slot) => patch({ slot })}
                options={PROMOTION_SLOTS.map((slot) => ({ value: slot, label: PROMOTION_SLOT_LABELS[slot] }))}
                data-testid="promotion-form-slot"
              />
            </Form.Item>
            <Form.Item label="标题" required>
              <Input value={draft.title} maxLength={30} showCount onChange={(e) => patch({ title: e.target.value })} data-testid="promotion-form-title" />
            </Form.Item>
            <Form.Item label="说明">
              <Input.TextArea value={draft.body} maxLength={120} showCount rows={2} onChange={(e) => patch({ body: e.target.value })} data-testid="promotion-form-body" />
            </Form.Item>
            <Space size={16} style={{ display: 'flex' }} align="start">
              <Form.Item label="按钮文字">
                <Input value={draft.ctaText} maxLength={12} onChange={(e) => patch({ ctaText: e.target.value })} style={{ width: 160 }} data-testid="promotion-form-cta" />
              </Form.Item>
              <Form.Item label="链接" extra="小程序页面路径（/pages/...）或本行的 https 地址；留空则不可点击" style={{ flex: 1 }}>
                <Input value={draft.link} onChange={(e) => patch({ link: e.target.value })} data-testid="promotion-form-link" />
              </Form.Item>
            </Space>
            <Form.Item label="图片地址（https，可选）">
              <Input value={draft.imageUrl} onChange={(e) => patch({ imageUrl: e.target.value })} data-testid="promotion-form-image" />
            </Form.Item>
            <Form.Item label="限定学校" extra="不选则本行全部学校的家长都能看到">
              <Select
                mode="multiple"
                showSearch
                optionFilterProp="label"
                value={draft.nodeIds}
                onChange={(nodeIds) => patch({ nodeIds })}
                options={schools}
                placeholder="本行全部学校"
                data-testid="promotion-form-nodes"
              />
            </Form.Item>
            <Space size={16} align="center">
              <Form.Item label="开始日期">
                <DayInput value={draft.startDay} onChange={(startDay) => patch({ startDay })} testId="promotion-form-start" />
              </Form.Item>
              <Form.Item label="结束日期">
                <DayInput value={draft.endDay} onChange={(endDay) => patch({ endDay })} testId="promotion-form-end" />
              </Form.Item>
              <Form.Item label="启用">
                <Switch checked={draft.enabled} onChange={(enabled) => patch({ enabled })} data-testid="promotion-form-enabled" />
              </Form.Item>
            </Space>
            {editProblem && <Alert type="error" showIcon message={editProblem} data-testid="promotion-form-error" />}
          </Form>
        )}
      </Modal>
    </PageContainer>
  );
}
