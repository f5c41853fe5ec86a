import { useState, type ReactNode } from 'react';
import { CheckCircleFilled } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Input, Result, Tabs } from 'antd';
import { useNavigate } from 'react-router-dom';
import { CAMPAIGN_PRODUCT_LABELS, type BalanceImportResult, type CampaignImportResult } from '@campuspay/shared';
import * as insightDataService from '../../services/insight-data.ts';
import { BaselinesCard } from './components/baselines-card.tsx';
import { TableUpload } from './components/table-upload.tsx';
import { BALANCE_COLUMNS, CAMPAIGN_COLUMNS, balanceImportText, campaignImportText, readCampaignName } from './insight-data-view.ts';

function Accepted({ testId, title, text, actions }: { testId: string; title: string; text: string; actions: ReactNode[] }) {
  return (
    <Card variant="borderless" data-testid={testId}>
      <Result status="success" icon={<CheckCircleFilled />} title={title} subTitle={text} extra={actions} style={{ paddingBottom: 8 }} />
    </Card>
  );
}

/**
 * 数据导入 (the bank's people): daily balances of the schools' settlement
 * accounts from the core system, each school's baseline period (together
 * they give 存款拉动 on 洞察概览), and campaign results (cards and accounts
 * opened, matched to parents by hashed phone). Every file is checked whole:
 * one bad row refuses it with every problem listed, and nothing is stored.
 */
export default function InsightDataPage() {
  const navigate = useNavigate();
  const [balancesVersion, setBalancesVersion] = useState(0);
  const [campaign, setCampaign] = useState('');
  const campaignName = readCampaignName(campaign);

  return (
    <PageContainer title="数据导入" subTitle="核心系统余额、基准期与营销活动结果">
      <Tabs
        data-testid="insight-data-tabs"
        items={[
          {
            key: 'balances',
            label: '结算账户余额',
            children: (
              <TableUpload<BalanceImportResult>
                testId="balances-import"
                intro={`从核心系统导出学校结算账户的日终余额，每行一个账户一天：${BALANCE_COLUMNS.join('、')}（元），保存为 .xlsx 或 .csv 后上传。`}
                rules={[
                  '文件整体校验：只要有一行有错，整份文件都不会导入，并列出每一处错误。',
                  '账号须是本范围内学校登记的收款账户；平台只保存账号的脱敏号与哈希。',
                  '日期如 2026-09-01；余额以元为单位，最多两位小数。',
                  '同一账户同一天再次导入时，以新文件为准（用于更正）。',
                ]}
                template={{ columns: BALANCE_COLUMNS, fileName: '日终余额导入模板.csv' }}
                hint="上传后立即校验；全部通过才保存，洞察概览的存款拉动随之更新"
                send={(file) => insightDataService.importBalances(file, file.name)}
                onAccepted={() => setBalancesVersion((v) => v + 1)}
                renderResult={(result, fileName, again) => (
                  <Accepted
                    testId="balances-import-summary"
                    title="余额已导入"
                    text={`「${fileName}」${balanceImportText(result)}。请在「基准期」中为各校设置基准期。`}
                    actions={[
                      <Button type="primary" key="insights" onClick={() => navigate('/insights')}>
                        查看洞察概览
                      </Button>,
                      <Button key="again" onClick={again}>
                        继续导入
                      </Button>,
                    ]}
                  />
                )}
              />
            ),
          },
          {
            key: 'baselines',
            label: '基准期',
            children: <BaselinesCard reloadKey={balancesVersion} />,
          },
          {
            key: 'campaigns',
            label: '营销活动结果',
            children: (
              <TableUpload<CampaignImportResult>
                testId="campaign-import"
                intro={`导入营销活动的开卡/开户结果，每行一位客户：${CAMPAIGN_COLUMNS.join('、')}。按手机号哈希匹配本范围学校的家长，计入洞察概览的开卡转化。`}
                rules={[
                  `产品可填 ${Object.values(CAMPAIGN_PRODUCT_LABELS).join('、')}（储蓄卡计为借记卡）。`,
                  '文件整体校验：只要有一行有错，整份文件都不会导入。',
                  '手机号不保存；未匹配到家长的行不保存。同一文件重复导入不会重复计数。',
                  '已授权联系的家长开卡后，其线索自动标记为已转化。',
                ]}
                template={{ columns: CAMPAIGN_COLUMNS, fileName: '活动结果导入模板.csv' }}
                hint="先填写活动名称，再上传文件"
                fields={
                  <Input
                    addonBefore="活动名称"
                    value={campaign}
                    onChange={(event) => setCampaign(event.target.value)}
                    maxLength={60}
                    placeholder="如 2026 秋季开学季办卡"
                    data-testid="campaign-name"
                  />
                }
                blockedBy={campaignName.ok ? null : campaignName.message}
                send={(file) => insightDataService.importCampaignResults(campaignName.ok ? campaignName.value : campaign, file, file.name)}
                renderResult={(result, fileName, again) => (
                  <Accepted
                    testId="campaign-import-summary"
                    title="活动结果已导入"
                    text={`「${fileName}」${campaignImportText(result)}`}
                    actions={[
                      <Button type="primary" key="insights" onClick={() => navigate('/insights')}>
                        查看开卡转化
                      </Button>,
                      <Button key="again" onClick={again}>
                        继续导入
                      </Button>,
                    ]}
                  />
                )}
              />
            ),
          },
        ]}
      />
    </PageContainer>
  );
}
