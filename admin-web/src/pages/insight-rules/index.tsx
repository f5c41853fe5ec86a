import { useEffect, useState, type ReactNode } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Skeleton, Space, Switch, Typography } from 'antd';
import { LEAD_TAG_LABELS, shanghai, type BankInsightSettings } from '@campuspay/shared';
import { yuanRule } from '../../billing/amounts.ts';
import { describeError } from '../../services/describe-error.ts';
import * as insightsService from '../../services/insights.ts';
import { isAbortError } from '../../services/request.ts';
import { consentChanged, readRulesForm, rulesFormValues, type RulesFormValues } from './rules-form.ts';

function RuleCard({ title, enabledField, testId, children }: { title: string; enabledField: keyof RulesFormValues; testId: string; children?: ReactNode }) {
  return (
    <Card
      size="small"
      title={title}
      extra={
        <Form.Item name={enabledField} valuePropName="checked" noStyle>
          <Switch checkedChildren="启用" unCheckedChildren="停用" data-testid={`${testId}-enabled`} />
        </Form.Item>
      }
      data-testid={testId}
    >
      {children}
    </Card>
  );
}

/**
 * 洞察规则 (platform admins): the bank's own card codes, the WeChat fee rate
 * for the settlement estimate, the thresholds of each tag rule and the
 * marketing consent text parents agree to. Saving recomputes every family's
 * tags in the background.
 */
export default function InsightRulesPage() {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<RulesFormValues>();
  const [settings, setSettings] = useState<BankInsightSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    insightsService
      .getInsightSettings(controller.signal)
      .then((loaded) => {
        setSettings(loaded);
        form.setFieldsValue(rulesFormValues(loaded));
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, [form]);

  const save = async () => {
    if (!settings) return;
    const values = await form.validateFields();
    const read = readRulesForm(values);
    if (!read.ok) {
      form.setFields([{ name: read.field, errors: [read.message] }]);
      return;
    }
    if (consentChanged(settings, values)) {
      const confirmed = await modal.confirm({
        title: '发布新版授权说明？',
        content: '修改授权标题或正文会发布新版本。已授权的家长保留原版本的授权；新授权须阅读并同意新版本。',
        okText: '发布并保存',
      });
      if (!confirmed) return;
    }
    setSaving(true);
    try {
      const saved = await insightsService.saveInsightSettings({ ...read.input, bankId: settings.bankId });
      setSettings(saved);
      form.setFieldsValue(rulesFormValues(saved));
      message.success(saved.recomputeJobId ? '已保存，正在按新规则重算家庭标签' : '已保存');
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageContainer
      title="洞察规则"
      subTitle={settings ? `${settings.bankName} · 第 ${settings.version} 版${settings.updatedAt ? `，${shanghai(settings.updatedAt).format('YYYY-MM-DD HH:mm')} 由 ${settings.updatedBy ?? '—'} 修改` : ''}` : undefined}
      extra={
        <Button type="primary" loading={saving} disabled={!settings} onClick={() => void save()} data-testid="insight-rules-save">
          保存
        </Button>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {!settings && !error ? (
        <Card variant="borderless">
          <Skeleton active />
        </Card>
      ) : (
        <Form form={form} layout="vertical" disabled={!settings} data-testid="insight-rules-form">
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card variant="borderless" title="看板设置">
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item name="ownBankCodes" label="本行银行代码（微信 bank_type 前缀，如 ICBC）" extra="付款银行为这些代码的计为本行卡">
                    <Select mode="tags" tokenSeparators={[',', ' ', '，']} open={false} placeholder="输入后回车" data-testid="insight-rules-own-codes" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="wechatFeeRateBp" label="微信支付手续费率（基点，60 = 0.6%）" rules={[{ required: true, message: '请填写手续费率' }]} extra="用于估算结算净流入">
                    <InputNumber min={0} max={1000} precision={0} style={{ width: 160 }} data-testid="insight-rules-fee-rate" />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
            <Card variant="borderless" title="标签规则">
              <Row gutter={[16, 16]}>
                <Col xs={24} lg={12}>
                  <RuleCard title={LEAD_TAG_LABELS.high_net_worth} enabledField="highNetWorthEnabled" testId="insight-rule-high-net-worth">
                    <Form.Item name="annualFeesYuan" label="近 12 个月家庭缴费达到（元）" rules={[{ required: true, message: '请填写金额' }, yuanRule({ label: '年缴费门槛' })]}>
                      <Input prefix="¥" data-testid="insight-rule-annual-fees" />
                    </Form.Item>
                    <Form.Item name="singleBillYuan" label="或单笔账单达到（元）" rules={[{ required: true, message: '请填写金额' }, yuanRule({ label: '单笔账单门槛' })]}>
                      <Input prefix="¥" data-testid="insight-rule-single-bill" />
                    </Form.Item>
                    <Form.Item name="highNetWorthInternational" valuePropName="checked" label="或孩子就读国际部">
                      <Switch />
                    </Form.Item>
                  </RuleCard>
                </Col>
                <Col xs={24} lg={12}>
                  <RuleCard title={LEAD_TAG_LABELS.study_abroad} enabledField="studyAbroadEnabled" testId="insight-rule-study-abroad">
                    <Form.Item name="studyAbroadInternational" valuePropName="checked" label="孩子就读国际部">
                      <Switch />
                    </Form.Item>
                    <Form.Item name="feeItemKeywords" label="或缴过名称含以下关键词的收费项目">
                      <Select mode="tags" tokenSeparators={[',', '，']} open={false} placeholder="如 留学、游学" data-testid="insight-rule-keywords" />
                    </Form.Item>
                  </RuleCard>
                </Col>
                <Col xs={24} lg={8}>
                  <RuleCard title={LEAD_TAG_LABELS.other_bank_card} enabledField="otherBankCardEnabled" testId="insight-rule-other-bank-card">
                    <Form.Item name="otherBankCardMinPayments" label="用他行卡缴费至少（笔）" rules={[{ required: true, message: '请填写笔数' }]}>
                      <InputNumber min={1} max={100} precision={0} />
                    </Form.Item>
                  </RuleCard>
                </Col>
                <Col xs={24} lg={8}>
                  <RuleCard title={LEAD_TAG_LABELS.multi_child} enabledField="multiChildEnabled" testId="insight-rule-multi-child">
                    <Form.Item name="multiChildMinChildren" label="绑定孩子至少（个）" rules={[{ required: true, message: '请填写人数' }]}>
                      <InputNumber min={2} max={10} precision={0} />
                    </Form.Item>
                  </RuleCard>
                </Col>
                <Col xs={24} lg={8}>
                  <RuleCard title={LEAD_TAG_LABELS.payroll_prospect} enabledField="payrollProspectEnabled" testId="insight-rule-payroll">
                    <Typography.Text type="secondary">家长手机号在学校共享的教职工名单中（名单只存哈希）。</Typography.Text>
                  </RuleCard>
                </Col>
              </Row>
            </Card>
            <Card variant="borderless" title={`营销授权说明（当前第 ${settings?.consent.version ?? '—'} 版）`}>
              <Form.Item name="consentTitle" label="标题" rules={[{ required: true, whitespace: true, message: '请填写标题' }, { min: 4, max: 60, message: '标题 4–60 字' }]}>
                <Input maxLength={60} data-testid="insight-rules-consent-title" />
              </Form.Item>
              <Form.Item name="consentText" label="正文（家长在小程序中阅读并同意的原文）" rules={[{ required: true, whitespace: true, message: '请填写正文' }, { min: 20, max: 2000, message: '正文 20–2000 字' }]}>
                <Input.TextArea rows={6} maxLength={2000} showCount data-testid="insight-rules-consent-text" />
              </Form.Item>
            </Card>
          </Space>
        </Form>
      )}
    </PageContainer>
  );
}
