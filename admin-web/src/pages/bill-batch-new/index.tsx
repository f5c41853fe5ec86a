import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { EyeOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { FooterToolbar, PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, Result, Row, Select, Space, Steps, Tag, TreeSelect, Typography } from 'antd';
import { FEE_CATEGORY_LABELS, displayYuan, type ConcessionRule, type FeeItem } from '@campuspay/shared';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ruleSizeText } from '../../billing/bill-display.ts';
import { useCampusFilter } from '../../org/campus-filter-context.tsx';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import { orgSelectTree } from '../../org/org-tree.ts';
import * as billingService from '../../services/billing.ts';
import { describeError } from '../../services/describe-error.ts';
import { getJob } from '../../services/jobs.ts';
import { isAbortError, isApiError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { feeItemTerms, priceRangeText } from '../fee-items/fee-item-form.ts';
import {
  EMPTY_DRAFT,
  PUBLISH_POLL_MS,
  batchReducer,
  batchRequestOf,
  publishableFeeItems,
  rulesFor,
  type BatchDraft,
} from './batch-flow.ts';
import { BatchPreviewCard, PublishProgress } from './components/batch-preview.tsx';
import { ConcessionRuleModal } from './components/concession-rule-modal.tsx';
import { StudentPicker } from './components/student-picker.tsx';

const MAX_POLL_FAILURES = 5;
const STEP_INDEX = { compose: 0, previewing: 0, previewed: 1, publishing: 2, published: 3, failed: 2 } as const;

/**
 * 账单发布: pick a fee item and who gets it (campuses, divisions, grades,
 * classes, plus listed students, minus exclusions), optionally concession
 * rules; preview what would be issued; publish as a background job.
 */
export default function BillBatchNewPage() {
  const { user, access } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { nodes } = useOrgNodes();
  const campusFilter = useCampusFilter();
  const [state, dispatch] = useReducer(batchReducer, { step: 'compose' });
  const [draft, setDraft] = useState<BatchDraft>(() => ({ ...EMPTY_DRAFT, feeItemId: searchParams.get('feeItemId') ?? undefined }));
  const [feeItems, setFeeItems] = useState<FeeItem[]>([]);
  const [rules, setRules] = useState<ConcessionRule[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [composeError, setComposeError] = useState<string | null>(null);
  const [addingRule, setAddingRule] = useState(false);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([billingService.listFeeItems({ signal: controller.signal }), billingService.listConcessionRules(controller.signal)])
      .then(([items, loadedRules]) => {
        setFeeItems(items);
        setRules(loadedRules);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setLoadError(describeError(err));
      });
    return () => controller.abort();
  }, []);

  const campusPath = campusFilter.campus?.path;
  const offeredItems = useMemo(() => publishableFeeItems(feeItems, campusPath), [feeItems, campusPath]);
  const feeItem = feeItems.find((item) => item.id === draft.feeItemId);
  const offeredRules = useMemo(() => rulesFor(rules, feeItem?.category), [rules, feeItem?.category]);

  // Targets: under the fee item's school, inside the user's scope (and the header's campus).
  const targetRootId = useMemo(() => {
    if (!feeItem) return undefined;
    const deepest = [campusFilter.campusId, user?.scope.nodeId].map((id) => nodes.find((n) => n.id === id)).find((n) => n?.path.includes(feeItem.nodeId));
    return deepest?.id ?? feeItem.nodeId;
  }, [feeItem, campusFilter.campusId, user?.scope.nodeId, nodes]);
  const targetTree = useMemo(
    () =>
      targetRootId
        ? orgSelectTree(nodes, { rootId: targetRootId, visibleKinds: ['campus', 'division', 'grade', 'class'], selectableKinds: ['campus', 'division', 'grade', 'class'] })
        : [],
    [nodes, targetRootId],
  );

  const locked = state.step === 'previewing' || state.step === 'publishing';
  const update = (patch: Partial<BatchDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setComposeError(null);
    dispatch({ type: 'edit' });
  };

  useEffect(() => {
    if (state.step !== 'compose') outcomeRef.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [state.step]);

  // Poll the publish job until it ends.
  const jobId = state.step === 'publishing' ? state.jobId : null;
  useEffect(() => {
    if (!jobId) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const job = await getJob(jobId, controller.signal);
        failures = 0;
        dispatch({ type: 'progress', job });
        if (job.status === 'succeeded' || job.status === 'failed') return;
      } catch (err) {
        if (isAbortError(err) || controller.signal.aborted) return;
        failures += 1;
        const permanent = isApiError(err) && err.status < 500 && err.status !== 429;
        if (permanent || failures >= MAX_POLL_FAILURES) {
          dispatch({ type: 'error', message: `无法获取发布进度：${describeError(err)}` });
          return;
        }
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), PUBLISH_POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [jobId]);

  const preview = async () => {
    const request = batchRequestOf(draft);
    if (!request.ok) {
      setComposeError(request.issues.map((issue) => issue.message).join('；'));
      return;
    }
    dispatch({ type: 'preview' });
    try {
      dispatch({ type: 'previewed', batch: await billingService.createBillBatch(request.value) });
    } catch (err) {
      setComposeError(describeError(err));
      dispatch({ type: 'error', message: describeError(err) });
    }
  };

  const publish = useCallback(() => {
    if (state.step !== 'previewed' && state.step !== 'failed') return;
    const batch = state.batch;
    if (!batch) return;
    modal.confirm({
      title: `发布 ${batch.preview.bills} 张账单？`,
      content: `「${batch.feeItemName}」应收合计 ${displayYuan(batch.preview.totalFen)}。发布后家长即可在小程序中看到并缴费；已发布的账单只能逐张调整、取消或减免。`,
      okText: '确认发布',
      cancelText: '再看看',
      okButtonProps: { 'data-testid': 'batch-publish-confirm' } as never,
      onOk: async () => {
        try {
          dispatch({ type: 'publishing', batch: await billingService.publishBillBatch(batch.id) });
        } catch (err) {
          message.error(describeError(err));
          dispatch({ type: 'error', message: describeError(err) });
        }
      },
    });
  }, [state, modal, message]);

  const startOver = () => {
    setDraft({ ...EMPTY_DRAFT });
    dispatch({ type: 'edit' });
  };

  const billsLink = feeItem ? `/bills?feeItemId=${encodeURIComponent(feeItem.id)}` : '/bills';
  const shownBatch = state.step === 'previewed' || state.step === 'publishing' || state.step === 'published' || state.step === 'failed' ? state.batch : null;
  const nonSiblingRules = offeredRules.filter((rule) => draft.ruleIds.includes(rule.id) && rule.kind !== 'sibling');

  return (
    <PageContainer title="账单发布" subTitle="按收费项目向选定的学生定向出账" onBack={() => navigate('/fee-items')}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card variant="borderless">
          <Steps
            size="small"
            current={STEP_INDEX[state.step]}
            status={state.step === 'failed' ? 'error' : state.step === 'published' ? 'finish' : 'process'}
            items={[{ title: '选择项目与对象' }, { title: '预览' }, { title: '发布' }, { title: '完成' }]}
          />
        </Card>
        {loadError && <Alert type="error" showIcon message={`加载失败：${loadError}`} />}

        <Card variant="borderless" title="1. 收费项目">
          <Form layout="vertical" disabled={locked}>
            <Form.Item label="收费项目" required style={{ marginBottom: feeItem ? 12 : 0 }}>
              <Select
                showSearch
                optionFilterProp="label"
                placeholder="选择要发布的收费项目"
                value={draft.feeItemId}
                onChange={(feeItemId: string) => update({ feeItemId, nodeIds: [], students: [], excluded: [], ruleIds: [] })}
                options={offeredItems.map((item) => ({ value: item.id, label: `${item.name}（${item.periodLabel}）` }))}
                notFoundContent={
                  <span>
                    没有可发布的收费项目，<Link to="/fee-items">去新建</Link>
                  </span>
                }
                data-testid="batch-fee-item"
              />
            </Form.Item>
          </Form>
          {feeItem && (
            <Descriptions size="small" column={{ xs: 1, md: 3 }} data-testid="batch-fee-item-summary">
              <Descriptions.Item label="类别">{FEE_CATEGORY_LABELS[feeItem.category]}</Descriptions.Item>
              <Descriptions.Item label="期间">{feeItem.periodLabel}</Descriptions.Item>
              <Descriptions.Item label="截止日期">{feeItem.dueDate}</Descriptions.Item>
              <Descriptions.Item label="价格">{priceRangeText(feeItem)}（{feeItem.prices.length} 档）</Descriptions.Item>
              <Descriptions.Item label="规则" span={2}>
                <Space size={4} wrap>
                  {feeItemTerms(feeItem).map((term) => (
                    <Tag key={term} bordered={false}>
                      {term}
                    </Tag>
                  ))}
                </Space>
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>

        <Card variant="borderless" title="2. 发布对象">
          <Form layout="vertical" disabled={locked || !feeItem}>
            <Form.Item label="按组织选择" extra="所选校区、学部、年级或班级中的在读学生都会收到账单；已有本期账单的学生自动跳过。">
              <TreeSelect
                multiple
                treeCheckable
                showCheckedStrategy={TreeSelect.SHOW_PARENT}
                treeData={targetTree}
                value={draft.nodeIds}
                onChange={(nodeIds: string[]) => update({ nodeIds })}
                placeholder={feeItem ? '选择校区 / 学部 / 年级 / 班级' : '请先选择收费项目'}
                showSearch
                treeNodeFilterProp="label"
                treeNodeLabelProp="fullTitle"
                maxTagCount={12}
                listHeight={400}
                style={{ width: '100%' }}
                data-testid="batch-target-nodes"
              />
            </Form.Item>
            <Row gutter={16}>
              <Col xs={24} md={12}>
                <Form.Item label="另外指定学生" extra="不在上面范围内、也要收到账单的学生">
                  <StudentPicker
                    value={draft.students}
                    onChange={(students) => update({ students })}
                    nodeId={targetRootId}
                    placeholder="输入学号或姓名搜索"
                    disabled={locked || !feeItem}
                    testId="batch-target-students"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label="排除学生" extra="范围内不出账的学生（如已转学、另行收费）" style={{ marginBottom: 0 }}>
                  <StudentPicker
                    value={draft.excluded}
                    onChange={(excluded) => update({ excluded })}
                    nodeId={targetRootId}
                    placeholder="输入学号或姓名搜索"
                    disabled={locked || !feeItem}
                    testId="batch-exclude-students"
                  />
                </Form.Item>
              </Col>
            </Row>
          </Form>
        </Card>

        <Card
          variant="borderless"
          title="3. 优惠规则（选填）"
          extra={
            access.canApprove && (
              <Button type="link" icon={<PlusOutlined />} onClick={() => setAddingRule(true)} disabled={locked} data-testid="batch-new-rule">
                新建优惠规则
              </Button>
            )
          }
        >
          <Form layout="vertical" disabled={locked || !feeItem}>
            <Form.Item label="发布时计算的优惠" extra={offeredRules.length === 0 ? '没有适用于该类别的优惠规则' : '按顺序叠加计算'}>
              <Select
                mode="multiple"
                allowClear
                value={draft.ruleIds}
                onChange={(ruleIds: string[]) => update({ ruleIds })}
                placeholder="不使用优惠规则"
                options={offeredRules.map((rule) => ({
                  value: rule.id,
                  label: `${rule.order}. ${rule.label}（${ruleSizeText(rule, displayYuan)}）`,
                }))}
                data-testid="batch-rules"
              />
            </Form.Item>
            {nonSiblingRules.length > 0 && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                message={`发布时只有「多子女优惠」能按家庭关系自动识别；${nonSiblingRules.map((r) => `「${r.label}」`).join('、')}不会自动计入，请在账单上逐个给予。`}
              />
            )}
            <Form.Item label="备注" style={{ marginBottom: 0 }}>
              <Input maxLength={200} value={draft.note} onChange={(event) => update({ note: event.target.value })} placeholder="选填，仅内部可见" data-testid="batch-note" />
            </Form.Item>
          </Form>
        </Card>

        {composeError && <Alert type="error" showIcon role="alert" message={composeError} data-testid="batch-error" />}

        <div ref={outcomeRef} style={{ scrollMarginTop: 72 }} />
        {shownBatch && <BatchPreviewCard batch={shownBatch} />}
        {state.step === 'publishing' && <PublishProgress job={state.job} />}
        {state.step === 'failed' && <Alert type="error" showIcon message="发布未完成" description={`${state.message} 可再次点击「发布」继续，已发布的账单不会重复。`} data-testid="batch-failed" />}
        {state.step === 'published' && (
          <Card variant="borderless" data-testid="batch-published">
            <Result
              status="success"
              title={`已发布 ${state.result.bills} 张账单`}
              subTitle={`「${state.batch.feeItemName}」应收合计 ${displayYuan(state.result.totalFen)}，家长现在可以在小程序中缴费。`}
              extra={[
                <Button type="primary" key="bills" onClick={() => navigate(billsLink)} data-testid="batch-view-bills">
                  查看账单
                </Button>,
                <Button key="again" onClick={startOver}>
                  继续发布
                </Button>,
              ]}
            />
          </Card>
        )}
        {/* Room for the footer toolbar. */}
        <div style={{ height: 48 }} />
      </Space>
      <FooterToolbar
        extra={
          shownBatch ? (
            <Typography.Text type="secondary">
              预览：{shownBatch.preview.bills} 张，应收 {displayYuan(shownBatch.preview.totalFen)}
            </Typography.Text>
          ) : (
            <Typography.Text type="secondary">选择收费项目和发布对象后预览</Typography.Text>
          )
        }
      >
        <Button
          type={shownBatch ? 'default' : 'primary'}
          icon={<EyeOutlined />}
          loading={state.step === 'previewing'}
          disabled={locked || !feeItem}
          onClick={() => void preview()}
          data-testid="batch-preview"
        >
          {shownBatch ? '重新预览' : '预览'}
        </Button>
        <Button
          type="primary"
          icon={<SendOutlined />}
          disabled={!(state.step === 'previewed' || (state.step === 'failed' && state.batch)) || (shownBatch?.preview.bills ?? 0) === 0}
          onClick={publish}
          data-testid="batch-publish"
        >
          发布
        </Button>
      </FooterToolbar>
      <ConcessionRuleModal
        open={addingRule}
        nodes={nodes}
        rootId={user?.scope.nodeId}
        defaultNodeId={feeItem?.nodeId}
        onClose={() => setAddingRule(false)}
        onCreated={(rule) => {
          setAddingRule(false);
          setRules((current) => [...current, rule].sort((a, b) => a.order - b.order));
          update({ ruleIds: [...draft.ruleIds, rule.id] });
        }}
      />
    </PageContainer>
  );
}
