import { useEffect, useReducer, useRef, useState, type HTMLAttributes } from 'react';
import { ArrowRightOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Drawer, Input, Progress, Result, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { ORG_KIND_LABELS, type OrgNode, type PromotionPreview } from '@campuspay/shared';
import { useNavigate } from 'react-router-dom';
import { describeError } from '../../../services/describe-error.ts';
import { getJob, jobPercent } from '../../../services/jobs.ts';
import * as orgService from '../../../services/org.ts';
import { isAbortError, isApiError } from '../../../services/request.ts';
import {
  confirmationMatches,
  hasWork,
  INITIAL_PROMOTION_STATE,
  outcomeText,
  PROMOTION_POLL_MS,
  promotionProgressText,
  promotionReducer,
  summarisePreview,
} from '../promotion-flow.ts';

/** Consecutive failed polls (server busy, network blip) before giving up following the job. */
const MAX_POLL_FAILURES = 5;

type Move = PromotionPreview['moves'][number];
type Graduating = PromotionPreview['graduating'][number];

interface PromotionDrawerProps {
  /** The school group, campus or division; the drawer is open while this is set. */
  node: OrgNode;
  onClose(): void;
  /** The job finished: classes may have been created, the tree is stale. */
  onPromoted(): void;
}

/**
 * 新学年升级: the server's plan for the node (every class one grade up, the
 * last grade graduating), reviewed here, confirmed by typing the node's
 * name, then applied by a job whose progress and outcome show here.
 */
export function PromotionDrawer({ node, onClose, onPromoted }: PromotionDrawerProps) {
  const navigate = useNavigate();
  const [state, dispatch] = useReducer(promotionReducer, INITIAL_PROMOTION_STATE);
  const [previewRound, setPreviewRound] = useState(0);
  const [typed, setTyped] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    dispatch({ type: 'load' });
    setTyped('');
    orgService.previewPromotion(node.id, controller.signal).then(
      (preview) => dispatch({ type: 'loaded', preview }),
      (err: unknown) => {
        if (!isAbortError(err)) dispatch({ type: 'load-failed', message: describeError(err) });
      },
    );
    return () => controller.abort();
  }, [node.id, previewRound]);

  const jobId = state.step === 'running' ? state.jobId : null;
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
          dispatch({ type: 'lost', message: `无法获取升级进度：${describeError(err)}。升级可能仍在后台进行，请稍后在学生名册中核对。` });
          return;
        }
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), PROMOTION_POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [jobId]);

  // Once per finished job, however often the parent re-renders with a new callback.
  const onPromotedRef = useRef(onPromoted);
  onPromotedRef.current = onPromoted;
  const finished = state.step === 'succeeded' || state.step === 'failed';
  useEffect(() => {
    if (finished) onPromotedRef.current();
  }, [finished]);

  const start = async () => {
    if (state.step !== 'review') return;
    const { preview } = state;
    dispatch({ type: 'start' });
    try {
      const job = await orgService.startPromotion({ nodeId: preview.nodeId, planHash: preview.planHash });
      dispatch({ type: 'accepted', jobId: job.id });
    } catch (err) {
      dispatch({ type: 'start-failed', message: describeError(err), conflict: isApiError(err) && err.code === 'STATE_CONFLICT' });
    }
  };

  // Once students are moving, closing would only hide the job; keep the drawer until it ends.
  const busy = state.step === 'starting' || state.step === 'running';
  const confirmed = confirmationMatches(typed, node.name);
  const reviewing = state.step === 'review' || state.step === 'starting';

  return (
    <Drawer
      open
      width={800}
      title={`新学年升级：${node.name}`}
      onClose={onClose}
      closable={!busy}
      maskClosable={!busy}
      keyboard={!busy}
      data-testid="promotion-drawer"
      footer={
        reviewing && hasWork(state.preview) ? (
          <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
            <Button onClick={onClose} disabled={busy}>
              取消
            </Button>
            <Button type="primary" danger disabled={!confirmed} loading={state.step === 'starting'} onClick={() => void start()} data-testid="promotion-start">
              确认升级
            </Button>
          </Space>
        ) : null
      }
    >
      {state.step === 'loading' && (
        <div data-testid="promotion-loading" style={{ padding: '48px 0', textAlign: 'center' }}>
          <Spin tip="正在生成升级预览…">
            <div style={{ height: 64 }} />
          </Spin>
        </div>
      )}
      {state.step === 'load-failed' && (
        <div data-testid="promotion-load-failed">
          <Result
            status="error"
            title="无法生成升级预览"
            subTitle={state.message}
            extra={
              <Button icon={<ReloadOutlined />} onClick={() => setPreviewRound((n) => n + 1)}>
                重试
              </Button>
            }
          />
        </div>
      )}
      {(state.step === 'review' || state.step === 'starting' || state.step === 'stale') && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {state.step === 'stale' ? (
            <Alert
              type="warning"
              showIcon
              message="这份预览已失效，未做任何改动"
              description={
                <Space direction="vertical" size={2}>
                  <span>{state.message}</span>
                  <span>预览之后有学生被新增、调班或修改了状态，按旧预览升级会放错班级。请重新预览，核对后再确认。</span>
                </Space>
              }
              action={
                <Button type="primary" icon={<ReloadOutlined />} onClick={() => setPreviewRound((n) => n + 1)} data-testid="promotion-repreview">
                  重新预览
                </Button>
              }
              data-testid="promotion-stale"
            />
          ) : (
            <Alert
              type="info"
              showIcon
              message={`${node.name}（${ORG_KIND_LABELS[node.kind]}）下每个班的在读学生升入下一年级的同名班级（没有则新建），各学部最高年级的学生毕业。确认之前不会有任何改动。`}
            />
          )}
          <PreviewFigures preview={state.preview} />
          <MovesTable moves={state.preview.moves} />
          <GraduatingTable graduating={state.preview.graduating} />
          {reviewing && hasWork(state.preview) && (
            <div data-testid="promotion-confirm">
              <Alert
                type="warning"
                showIcon
                message={`确认后将调整 ${summarisePreview(state.preview).students} 名学生的班级或状态，不能一键撤销。`}
                style={{ marginBottom: 12 }}
              />
              <Typography.Paragraph style={{ marginBottom: 8 }}>
                请输入<Typography.Text strong>「{node.name}」</Typography.Text>以确认：
              </Typography.Paragraph>
              <Input
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                placeholder={node.name}
                disabled={state.step === 'starting'}
                onPressEnter={() => confirmed && void start()}
                data-testid="promotion-confirm-name"
              />
              {state.step === 'review' && state.error && (
                <Alert type="error" showIcon message={state.error} style={{ marginTop: 12 }} data-testid="promotion-start-error" />
              )}
            </div>
          )}
        </Space>
      )}
      {state.step === 'running' && (
        <div data-testid="promotion-running">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            正在升级「{node.name}」
          </Typography.Title>
          <Typography.Paragraph type="secondary">{summarisePreview(state.preview).text}请等待完成。</Typography.Paragraph>
          <div data-testid="promotion-progress" data-percent={jobPercent(state.job)}>
            <Progress percent={jobPercent(state.job)} status="active" />
          </div>
          <Typography.Text type="secondary">{promotionProgressText(state.job)}</Typography.Text>
        </div>
      )}
      {state.step === 'succeeded' && (
        <div data-testid="promotion-done" data-promoted={state.totals?.promoted} data-graduated={state.totals?.graduated}>
          <Result
            status="success"
            title="新学年升级完成"
            subTitle={outcomeText(state.totals)}
            extra={[
              <Button type="primary" key="roster" onClick={() => navigate('/students')} data-testid="promotion-view-roster">
                查看学生名册
              </Button>,
              <Button key="close" onClick={onClose} data-testid="promotion-close">
                关闭
              </Button>,
            ]}
          />
        </div>
      )}
      {state.step === 'failed' && (
        <div data-testid="promotion-failed">
          <Result
            status="error"
            title="升级未完成"
            subTitle={
              <Space direction="vertical" size={4}>
                <span>{state.message}</span>
                <Typography.Text type="secondary">
                  部分班级可能已经调整。请先在学生名册中核对各班学生，再决定是否重新预览升级：重新预览会以当前名册为准。
                </Typography.Text>
              </Space>
            }
            extra={[
              <Button type="primary" key="roster" onClick={() => navigate('/students')}>
                查看学生名册
              </Button>,
              <Button key="close" onClick={onClose}>
                关闭
              </Button>,
            ]}
          />
        </div>
      )}
    </Drawer>
  );
}

function PreviewFigures({ preview }: { preview: PromotionPreview }) {
  const summary = summarisePreview(preview);
  return (
    <div data-testid="promotion-summary">
      <Row gutter={16} style={{ marginBottom: 8 }}>
        <Col span={8}>
          <Statistic
            title={`升级（${summary.promotedClasses} 个班）`}
            value={summary.promoted}
            suffix="名"
            data-testid="promotion-total-promoted"
            data-value={summary.promoted}
          />
        </Col>
        <Col span={8}>
          <Statistic
            title={`毕业（${summary.graduatingClasses} 个班）`}
            value={summary.graduated}
            suffix="名"
            data-testid="promotion-total-graduated"
            data-value={summary.graduated}
          />
        </Col>
        <Col span={8}>
          <Statistic title="新建班级" value={summary.classesCreated} suffix="个" data-testid="promotion-total-created" data-value={summary.classesCreated} />
        </Col>
      </Row>
      <Typography.Text type="secondary">{summary.text}</Typography.Text>
    </div>
  );
}

function MovesTable({ moves }: { moves: readonly Move[] }) {
  return (
    <Table<Move>
      size="small"
      rowKey="fromClassId"
      title={() => <Typography.Text strong>升级的班级</Typography.Text>}
      dataSource={[...moves]}
      pagination={false}
      scroll={{ y: 320 }}
      locale={{ emptyText: '没有需要升级的班级' }}
      onRow={(move) =>
        ({
          'data-testid': 'promotion-move',
          'data-from-class-id': move.fromClassId,
          'data-to-class-id': move.toClassId ?? '',
          'data-students': move.students,
          'data-creates-class': String(move.createsClass),
        }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        { title: '原班级', dataIndex: 'fromLabel' },
        { title: '', key: 'arrow', width: 32, render: () => <ArrowRightOutlined style={{ color: 'rgba(0,0,0,0.45)' }} /> },
        {
          title: '升入班级',
          key: 'to',
          render: (_, move) => (
            <Space size={6}>
              {/* The server marks a class to be created in the label too; the tag says it once. */}
              <span>{move.createsClass ? move.toLabel.replace(/（新建）$/, '') : move.toLabel}</span>
              {move.createsClass && (
                <Tag color="orange" bordered={false} data-testid="promotion-move-creates">
                  将新建
                </Tag>
              )}
            </Space>
          ),
        },
        { title: '人数', dataIndex: 'students', width: 80, align: 'right' },
      ]}
    />
  );
}

function GraduatingTable({ graduating }: { graduating: readonly Graduating[] }) {
  return (
    <Table<Graduating>
      size="small"
      rowKey="classId"
      title={() => <Typography.Text strong>毕业的班级</Typography.Text>}
      dataSource={[...graduating]}
      pagination={false}
      scroll={{ y: 240 }}
      locale={{ emptyText: '没有毕业的班级' }}
      onRow={(row) =>
        ({ 'data-testid': 'promotion-graduating', 'data-class-id': row.classId, 'data-students': row.students }) as HTMLAttributes<HTMLElement>
      }
      columns={[
        { title: '班级', dataIndex: 'label' },
        { title: '人数', dataIndex: 'students', width: 80, align: 'right' },
      ]}
    />
  );
}
