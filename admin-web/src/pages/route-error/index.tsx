import { Button, Result } from 'antd';
import { useRouteError } from 'react-router-dom';

/**
 * Last resort for errors thrown while rendering or loading a page. After a
 * new release, old page chunks no longer exist; reloading fetches the new ones.
 */
export default function RouteErrorPage() {
  const error = useRouteError();
  const chunkMissing =
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(error.message);
  if (!chunkMissing) console.error(error);
  return (
    <Result
      status={chunkMissing ? 'info' : 'error'}
      title={chunkMissing ? '系统已更新' : '页面出错了'}
      subTitle={
        chunkMissing ? '管理后台已发布新版本，请刷新页面后继续使用。' : '页面遇到意外错误，请刷新重试；如果问题持续，请联系技术支持。'
      }
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          刷新页面
        </Button>
      }
    />
  );
}
