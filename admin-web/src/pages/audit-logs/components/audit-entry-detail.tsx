import { Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import type { AuditEntry } from '@campuspay/shared';
import { changedFields, prettyJson } from '../audit-format.ts';

function JsonBlock({ title, value, testId }: { title: string; value: unknown; testId: string }) {
  const text = prettyJson(value);
  return (
    <div>
      <Typography.Text strong>{title}</Typography.Text>
      {text === null ? (
        <div style={{ padding: '12px 0', color: 'rgba(0,0,0,0.45)' }}>（无）</div>
      ) : (
        <pre
          data-testid={testId}
          style={{
            margin: '8px 0 0',
            padding: 12,
            maxHeight: 360,
            overflow: 'auto',
            background: '#f6f8fa',
            border: '1px solid #eaecef',
            borderRadius: 6,
            fontSize: 12,
            lineHeight: 1.5,
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-all',
          }}
        >
          {text}
        </pre>
      )}
    </div>
  );
}

/** The expanded row: what changed, before and after side by side, and the record's chain data. */
export function AuditEntryDetail({ entry }: { entry: AuditEntry }) {
  const changed = changedFields(entry.before, entry.after);
  return (
    <div data-testid="audit-row-detail" style={{ padding: '4px 8px' }}>
      {changed.length > 0 && (
        <Space size={[4, 4]} wrap style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">变更字段：</Typography.Text>
          {changed.map((key) => (
            <Tag key={key} color="orange" bordered={false}>
              {key}
            </Tag>
          ))}
        </Space>
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <JsonBlock title="变更前" value={entry.before} testId="audit-before" />
        </Col>
        <Col xs={24} md={12}>
          <JsonBlock title="变更后" value={entry.after} testId="audit-after" />
        </Col>
      </Row>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 12 }}>
        <Descriptions.Item label="对象编号">{entry.objectId ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="请求编号">{entry.requestId ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="操作人编号">{entry.actor.userId}</Descriptions.Item>
        <Descriptions.Item label="操作人所在节点">{entry.actor.nodeId}</Descriptions.Item>
        <Descriptions.Item label="记录哈希" span={2}>
          <Typography.Text code copyable style={{ fontSize: 12 }}>
            {entry.hash}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}
