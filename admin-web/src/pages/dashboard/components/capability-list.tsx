import { CheckCircleTwoTone } from '@ant-design/icons';
import { Alert, Card, List } from 'antd';
import { ACCESS_KEYS, ACCESS_LABELS, type AccessFlags } from '../../../access.ts';

/** What the signed-in user may do, from the access flags. */
export function CapabilityList({ flags, readOnly }: { flags: AccessFlags; readOnly: boolean }) {
  const granted = ACCESS_KEYS.filter((key) => key !== 'isSignedIn' && flags[key]);
  return (
    <Card title="您可以" variant="borderless">
      {readOnly && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message="您的账号为只读权限：可以查看和导出，不能修改数据。"
        />
      )}
      <List
        dataSource={granted}
        locale={{ emptyText: '您的账号暂未开通任何功能，请联系管理员。' }}
        renderItem={(key) => (
          <List.Item key={key}>
            <List.Item.Meta avatar={<CheckCircleTwoTone twoToneColor="#52c41a" />} title={ACCESS_LABELS[key]} />
          </List.Item>
        )}
      />
    </Card>
  );
}
