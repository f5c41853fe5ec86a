import { useEffect, useState } from 'react';
import { CheckCircleFilled } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Result, Select } from 'antd';
import { describeError } from '../../services/describe-error.ts';
import * as insightDataService from '../../services/insight-data.ts';
import * as orgService from '../../services/org.ts';
import { isAbortError } from '../../services/request.ts';
import { TableUpload } from '../insight-data/components/table-upload.tsx';
import { STAFF_LIST_COLUMNS, schoolChoices, type SchoolChoice } from '../insight-data/insight-data-view.ts';
import type { StaffListResult } from '../../services/insight-data.ts';

/**
 * 教职工名单共享: a school shares its staff list (phones only) with the
 * bank that runs the platform, for payroll (代发工资) leads. The bank never
 * sees the list: only keyed phone hashes are kept, to count staff among the
 * paying parents. A new list replaces the school's previous one.
 */
export default function StaffListSharePage() {
  const [schools, setSchools] = useState<SchoolChoice[]>([]);
  const [nodeId, setNodeId] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    orgService
      .listOrgNodes({ signal: controller.signal })
      .then((nodes) => {
        const choices = schoolChoices(nodes);
        setSchools(choices);
        // A school admin usually has one school: choose it for them.
        if (choices.length === 1) setNodeId(choices[0]!.value);
      })
      .catch((err: unknown) => {
        if (!isAbortError(err)) setError(describeError(err));
      });
    return () => controller.abort();
  }, []);

  const school = schools.find((s) => s.value === nodeId);

  return (
    <PageContainer title="教职工名单共享" subTitle="向运营银行共享教职工手机号（仅保存哈希），用于代发工资服务">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <TableUpload<StaffListResult>
        testId="staff-list-import"
        intro={`每行一位教职工：${STAFF_LIST_COLUMNS.join('、')}，保存为 .xlsx 或 .csv 后上传。`}
        rules={[
          '名单只用于统计缴费家长中的本校教职工（代发工资潜客），银行看不到名单本身。',
          '平台只保存手机号的哈希，不保存号码。',
          '文件整体校验：只要有一行手机号有误，整份名单都不会导入。',
          '重新上传会替换该学校之前共享的名单。',
        ]}
        template={{ columns: STAFF_LIST_COLUMNS, fileName: '教职工名单模板.csv' }}
        hint="先选择学校，再上传名单"
        fields={
          <Select
            showSearch
            optionFilterProp="label"
            value={nodeId}
            onChange={setNodeId}
            options={schools}
            placeholder="选择共享名单的学校或校区"
            style={{ width: '100%' }}
            data-testid="staff-list-school"
          />
        }
        blockedBy={nodeId ? null : '请先选择学校'}
        send={(file) => insightDataService.importStaffList(nodeId ?? '', file, file.name)}
        renderResult={(result, fileName, again) => (
          <Card variant="borderless" data-testid="staff-list-import-summary" data-staff={result.staff}>
            <Result
              status="success"
              icon={<CheckCircleFilled />}
              title="名单已共享"
              subTitle={`「${fileName}」：${school?.label ?? result.nodeId} 共 ${result.staff} 位教职工（按手机号去重）。代发工资潜客将在后台重新计算。`}
              extra={[
                <Button key="again" onClick={again}>
                  重新上传
                </Button>,
              ]}
              style={{ paddingBottom: 8 }}
            />
          </Card>
        )}
      />
    </PageContainer>
  );
}
