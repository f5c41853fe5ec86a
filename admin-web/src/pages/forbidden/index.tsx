import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';

/** 403: shown in place of a page the user's role may not open. */
export function ForbiddenResult() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="您的账号没有访问此页面的权限。如需开通，请联系本单位管理员。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回工作台
        </Button>
      }
    />
  );
}

export default function ForbiddenPage() {
  return <ForbiddenResult />;
}
