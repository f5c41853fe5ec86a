import { useMemo } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { Col, Row } from 'antd';
import dayjs from 'dayjs';
import { useSession } from '../../session/session-context.tsx';
import { CapabilityList } from './components/capability-list.tsx';
import { IdentityCard } from './components/identity-card.tsx';
import { greetingFor } from './greeting.ts';

/** 工作台: who is signed in and what they can do. */
export default function DashboardPage() {
  const { user, access } = useSession();
  const greeting = useMemo(() => greetingFor(dayjs().hour()), []);
  if (!user) return null;
  return (
    <PageContainer title="工作台" subTitle={dayjs().format('YYYY年M月D日 dddd')}>
      <Row gutter={[16, 16]}>
        <Col span={24}>
          <IdentityCard user={user} greeting={greeting} />
        </Col>
        <Col span={24}>
          <CapabilityList flags={access} readOnly={user.role === 'auditor'} />
        </Col>
      </Row>
    </PageContainer>
  );
}
