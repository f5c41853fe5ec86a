import { UserOutlined } from '@ant-design/icons';
import { Avatar, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { ORG_KIND_LABELS, STAFF_ROLE_LABELS, type StaffUser } from '@campuspay/shared';

export function IdentityCard({ user, greeting }: { user: StaffUser; greeting: string }) {
  return (
    <Card variant="borderless">
      <Space size={16} align="start">
        <Avatar size={56} icon={<UserOutlined />} style={{ backgroundColor: '#1d5bd8' }} />
        <div>
          <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 4 }}>
            {greeting}，{user.displayName}
          </Typography.Title>
          <Typography.Text type="secondary">欢迎使用 CampusPay 校园缴费管理后台。</Typography.Text>
        </div>
      </Space>
      <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginTop: 24 }}>
        <Descriptions.Item label="用户名">{user.username}</Descriptions.Item>
        <Descriptions.Item label="角色">
          <Tag color="blue" bordered={false}>
            {STAFF_ROLE_LABELS[user.role]}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label="管辖范围">
          {user.scope.name}
          <Typography.Text type="secondary">（{ORG_KIND_LABELS[user.scope.kind]}）</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
