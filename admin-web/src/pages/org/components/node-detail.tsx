import { DeleteOutlined, EditOutlined, PlusOutlined, RiseOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Empty, Space, Tag, Tooltip, Typography } from 'antd';
import { ORG_KIND_LABELS, type OrgNode } from '@campuspay/shared';
import { pathLabel } from '../../../org/org-tree.ts';
import { describeCounts, descendantCounts } from '../node-form.ts';

interface NodeDetailProps {
  node: OrgNode | null;
  nodes: readonly OrgNode[];
  /** Inside the user's scope (ancestors are shown for context only). */
  inScope: boolean;
  canAddChild: boolean;
  canEdit: boolean;
  canArchive: boolean;
  /** 新学年升级 is offered (a school group, campus or division; group admins). */
  canPromote: boolean;
  /** Why editing is not offered, when it is not. */
  readOnlyReason: string | null;
  onAddChild(): void;
  onEdit(): void;
  onArchive(): void;
  onPromote(): void;
}

/** The selected node: what it is, where it sits, what is below it, and what may be done with it. */
export function NodeDetail(props: NodeDetailProps) {
  const { node, nodes, inScope, canAddChild, canEdit, canArchive, canPromote, readOnlyReason } = props;
  if (!node) {
    return (
      <Card variant="borderless" data-testid="org-node-detail">
        <Empty description="在左侧选择一个节点查看详情" />
      </Card>
    );
  }
  const counts = describeCounts(descendantCounts(nodes, node));
  const fullPath = pathLabel(nodes, node, nodes.find((n) => n.id === node.path[0])?.kind ?? 'bank');
  return (
    <Card
      variant="borderless"
      data-testid="org-node-detail"
      title={
        <Space>
          <span>{node.name}</span>
          <Tag color="blue" bordered={false}>
            {ORG_KIND_LABELS[node.kind]}
          </Tag>
          {node.archived && <Tag>已归档</Tag>}
          {node.kind === 'division' && node.international && <Tag color="gold">国际部</Tag>}
        </Space>
      }
      extra={
        <Space wrap>
          {canAddChild && (
            <Button type="primary" icon={<PlusOutlined />} onClick={props.onAddChild} data-testid="org-add-child">
              新增下级
            </Button>
          )}
          {canEdit && (
            <Button icon={<EditOutlined />} onClick={props.onEdit} data-testid="org-edit">
              编辑
            </Button>
          )}
          {canPromote && (
            <Button icon={<RiseOutlined />} onClick={props.onPromote} data-testid="org-promote">
              新学年升级
            </Button>
          )}
          {canArchive && (
            <Button danger icon={<DeleteOutlined />} onClick={props.onArchive} data-testid="org-archive">
              归档
            </Button>
          )}
          {!canEdit && readOnlyReason && (
            <Tooltip title={readOnlyReason}>
              <Tag bordered={false}>只读</Tag>
            </Tooltip>
          )}
        </Space>
      }
    >
      <Descriptions column={1} styles={{ label: { width: 120 } }} size="middle">
        <Descriptions.Item label="名称">{node.name}</Descriptions.Item>
        <Descriptions.Item label="类型">{ORG_KIND_LABELS[node.kind]}</Descriptions.Item>
        <Descriptions.Item label="所在位置">{fullPath}</Descriptions.Item>
        {node.kind === 'campus' && (
          <Descriptions.Item label="学校代码">
            {node.schoolCode ? (
              <Typography.Text copyable code data-testid="org-school-code">
                {node.schoolCode}
              </Typography.Text>
            ) : (
              <Typography.Text type="warning">未设置（家长无法绑定孩子）</Typography.Text>
            )}
          </Descriptions.Item>
        )}
        {node.kind === 'grade' && (
          <Descriptions.Item label="年级序号">{node.level ?? <Typography.Text type="secondary">未设置</Typography.Text>}</Descriptions.Item>
        )}
        {node.kind === 'division' && <Descriptions.Item label="国际部">{node.international ? '是' : '否'}</Descriptions.Item>}
        <Descriptions.Item label="下级">{counts || <Typography.Text type="secondary">无</Typography.Text>}</Descriptions.Item>
        <Descriptions.Item label="排序">{node.sortOrder}</Descriptions.Item>
        <Descriptions.Item label="节点编号">
          <Typography.Text type="secondary" copyable>
            {node.id}
          </Typography.Text>
        </Descriptions.Item>
        {!inScope && (
          <Descriptions.Item label="说明">
            <Typography.Text type="secondary">上级节点，仅供查看（不在您的管辖范围内）</Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
