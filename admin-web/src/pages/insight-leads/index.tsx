import { useEffect, useState } from 'react';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import {
  LEAD_STATUSES,
  LEAD_STATUS_LABELS,
  shanghai,
  type Lead,
  type LeadStatus,
  type LeadTag,
  type LeadsPage,
} from '@campuspay/shared';
import { describeError } from '../../services/describe-error.ts';
import * as insightsService from '../../services/insights.ts';
import { isAbortError } from '../../services/request.ts';
import { saveDownloadedFile } from '../../services/save-file.ts';
import { evidenceFigureText } from '../insights/insight-view.ts';
import { RevealModal } from './components/reveal-modal.tsx';

const PAGE_SIZE = 20;

function Evidence({ lead }: { lead: Lead }) {
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="lead-evidence">
      {lead.tags.map((tag) => (
        <div key={tag.tag}>
          <Tag color="blue">{tag.label}</Tag>
          {tag.evidence.map((evidence) => (
            <div key={evidence.rule} style={{ margin: '4px 0 0 8px' }}>
              <Typography.Text>{evidence.summary}</Typography.Text>
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {Object.entries(evidence.figures)
                  .map(([key, value]) => evidenceFigureText(key, value))
                  .join('；')}
              </Typography.Text>
            </div>
          ))}
        </div>
      ))}
    </Space>
  );
}

/**
 * 商机线索: how many families each rule tags (counts only), and the families
 * whose parent consented to hear from the bank, with masked contact, tags and
 * the evidence behind them. The full phone is shown only through an audited
 * reveal with a stated reason.
 */
export default function InsightLeadsPage() {
  const { message } = App.useApp();
  const [tag, setTag] = useState<LeadTag | undefined>(undefined);
  const [status, setStatus] = useState<LeadStatus | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<LeadsPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [revealing, setRevealing] = useState<Lead | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    insightsService
      .listLeads({ tag, status, page, pageSize: PAGE_SIZE }, controller.signal)
      .then((next) => {
        setData(next);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [tag, status, page, reloadKey]);

  const changeStatus = async (lead: Lead, next: LeadStatus) => {
    try {
      const updated = await insightsService.updateLead(lead.id, { status: next });
      setData((current) => current && { ...current, items: current.items.map((item) => (item.id === updated.id ? updated : item)) });
      message.success(`已标记为「${LEAD_STATUS_LABELS[next]}」`);
    } catch (err) {
      message.error(describeError(err));
    }
  };

  // Every consented lead of the scope, masked; the server watermarks the file with the exporter and audits it.
  const exportXlsx = async () => {
    setExporting(true);
    try {
      saveDownloadedFile(await insightsService.exportInsights('leads', {}), '已授权家长线索.xlsx');
      message.success('已导出线索（联系方式已脱敏，文件带导出人水印，已记入审计）');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  const pickTag = (next: LeadTag | undefined) => {
    setTag(next);
    setPage(1);
  };

  return (
    <PageContainer title="商机线索" subTitle={data ? data.node.name : undefined}>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Alert
          type="info"
          showIcon
          message="只列出已单独授权本行联系的家长；未授权的家庭只计入各标签的家庭数。联系方式默认脱敏，查看完整号码须说明原因并记入审计。家长撤回授权后线索立即消失。"
        />
        <Row gutter={[16, 16]}>
          {(data?.summary ?? []).map((count) => (
            <Col key={count.tag} xs={12} md={8} xl={4}>
              <Card
                variant="borderless"
                hoverable
                onClick={() => pickTag(tag === count.tag ? undefined : count.tag)}
                style={tag === count.tag ? { outline: '2px solid #1d5bd8' } : undefined}
                data-testid="lead-tag-count"
                data-tag={count.tag}
                data-families={count.families}
                data-consented={count.consented}
              >
                <Statistic title={count.label} value={count.families} suffix="户" />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  其中已授权 {count.consented} 户
                </Typography.Text>
              </Card>
            </Col>
          ))}
        </Row>
        {error && <Alert type="error" showIcon message={error} data-testid="leads-error" />}
        <Card
          variant="borderless"
          title={
            <span data-testid="lead-total" data-value={data?.total ?? ''}>
              已授权线索 {data ? `${data.total} 条` : ''}
            </span>
          }
          extra={
            <Space>
              <Select<LeadTag | 'all'>
                value={tag ?? 'all'}
                onChange={(next) => pickTag(next === 'all' ? undefined : next)}
                style={{ width: 180 }}
                options={[{ value: 'all', label: '全部标签' }, ...(data?.summary ?? []).map((s) => ({ value: s.tag, label: s.label }))]}
                data-testid="lead-tag-filter"
              />
              <Select<LeadStatus | 'all'>
                value={status ?? 'all'}
                onChange={(next) => {
                  setStatus(next === 'all' ? undefined : next);
                  setPage(1);
                }}
                style={{ width: 130 }}
                options={[{ value: 'all', label: '全部状态' }, ...LEAD_STATUSES.map((s) => ({ value: s, label: LEAD_STATUS_LABELS[s] }))]}
                data-testid="lead-status-filter"
              />
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportXlsx()} data-testid="leads-export">
                导出 Excel
              </Button>
              <Button icon={<ReloadOutlined />} onClick={() => setReloadKey((k) => k + 1)} aria-label="刷新" />
            </Space>
          }
          styles={{ body: { padding: 0 } }}
        >
          <Table<Lead>
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={data?.items ?? []}
            scroll={{ x: 1100 }}
            locale={{ emptyText: '暂无已授权的线索' }}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
            expandable={{ expandedRowRender: (lead) => <Evidence lead={lead} /> }}
            onRow={(lead) => ({ 'data-testid': 'lead-row', 'data-lead-id': lead.id, 'data-status': lead.status }) as never}
            columns={[
              { title: '联系人', key: 'name', width: 90, render: (_: unknown, lead) => lead.contact.nameMasked },
              {
                title: '手机号',
                key: 'phone',
                width: 130,
                render: (_: unknown, lead) => <span data-testid="lead-phone-masked">{lead.contact.phoneMasked}</span>,
              },
              {
                title: '标签',
                key: 'tags',
                render: (_: unknown, lead) =>
                  lead.tags.map((t) => (
                    <Tooltip key={t.tag} title={t.evidence.map((e) => e.summary).join('；')}>
                      <Tag color="blue" data-testid="lead-tag" data-tag={t.tag}>
                        {t.label}
                      </Tag>
                    </Tooltip>
                  )),
              },
              {
                title: '就读学校',
                key: 'schools',
                render: (_: unknown, lead) => lead.schools.map((s) => `${s.campusName} ${s.divisionName}`).join('、'),
              },
              {
                title: '状态',
                key: 'status',
                width: 120,
                render: (_: unknown, lead) => (
                  <Select<LeadStatus>
                    size="small"
                    value={lead.status}
                    style={{ width: 100 }}
                    onChange={(next) => void changeStatus(lead, next)}
                    options={LEAD_STATUSES.map((s) => ({ value: s, label: LEAD_STATUS_LABELS[s] }))}
                    data-testid="lead-status"
                  />
                ),
              },
              { title: '授权时间', key: 'consentedAt', width: 150, render: (_: unknown, lead) => shanghai(lead.consentedAt).format('YYYY-MM-DD HH:mm') },
              {
                title: '操作',
                key: 'reveal',
                width: 130,
                fixed: 'right',
                render: (_: unknown, lead) => (
                  <Button type="link" size="small" onClick={() => setRevealing(lead)} data-testid="lead-reveal">
                    查看完整手机号
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      </Space>
      <RevealModal lead={revealing} onClose={() => setRevealing(null)} />
    </PageContainer>
  );
}
