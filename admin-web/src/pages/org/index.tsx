import { useCallback, useEffect, useMemo, useState } from 'react';
import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Card, Col, Empty, Input, Row, Space, Spin, Switch, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { ORG_KIND_LABELS, type OrgNode } from '@campuspay/shared';
import { useOrgNodes } from '../../org/org-nodes-context.tsx';
import {
  buildOrgTree,
  defaultExpandedIds,
  isInScope,
  matchingWithAncestors,
  type OrgTreeNode,
} from '../../org/org-tree.ts';
import { describeError } from '../../services/describe-error.ts';
import * as orgService from '../../services/org.ts';
import { isAbortError } from '../../services/request.ts';
import { useSession } from '../../session/session-context.tsx';
import { NodeDetail } from './components/node-detail.tsx';
import { NodeFormModal, type NodeFormMode } from './components/node-form-modal.tsx';
import { PromotionDrawer } from './components/promotion-drawer.tsx';
import { canEditNode, creatableChildKinds } from './node-form.ts';
import { canPromoteNode } from './promotion-flow.ts';

const KIND_COLORS: Partial<Record<OrgNode['kind'], string>> = {
  bank: 'purple',
  branch: 'geekblue',
  school_group: 'blue',
  campus: 'cyan',
  division: 'green',
};

function highlight(name: string, query: string) {
  const q = query.trim();
  const at = q ? name.toLowerCase().indexOf(q.toLowerCase()) : -1;
  if (at < 0) return name;
  return (
    <>
      {name.slice(0, at)}
      <span style={{ color: '#d9363e', fontWeight: 600 }}>{name.slice(at, at + q.length)}</span>
      {name.slice(at + q.length)}
    </>
  );
}

/** 组织架构: the tree of the user's scope; group and platform admins maintain it. */
export default function OrgPage() {
  const { user, access } = useSession();
  const { modal, message } = App.useApp();
  const shared = useOrgNodes();
  const [includeArchived, setIncludeArchived] = useState(false);
  const [nodes, setNodes] = useState<OrgNode[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [query, setQuery] = useState('');
  const [formMode, setFormMode] = useState<NodeFormMode | null>(null);
  const [promoting, setPromoting] = useState<OrgNode | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const list = await orgService.listOrgNodes({ includeArchived, ...(signal ? { signal } : {}) });
        setNodes(list);
        setError(null);
      } catch (err) {
        if (!isAbortError(err)) setError(describeError(err));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [includeArchived],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const scopeNodeId = user?.scope.nodeId ?? '';
  const byId = useMemo(() => new Map(nodes.map((node) => [node.id, node])), [nodes]);
  const selected = selectedId ? (byId.get(selectedId) ?? null) : null;

  // First load: select the scope node and open the tree down to the grades.
  useEffect(() => {
    if (nodes.length === 0) return;
    if (expanded === null) setExpanded(defaultExpandedIds(nodes));
    if (selectedId === null || !byId.has(selectedId)) setSelectedId(byId.has(scopeNodeId) ? scopeNodeId : (nodes[0]?.id ?? null));
  }, [nodes, byId, expanded, selectedId, scopeNodeId]);

  const matches = useMemo(() => matchingWithAncestors(nodes, query), [nodes, query]);
  const searching = query.trim() !== '';

  const treeData = useMemo<DataNode[]>(() => {
    const convert = (entry: OrgTreeNode): DataNode | null => {
      const { node } = entry;
      if (searching && !matches.has(node.id)) return null;
      const children = entry.children.map(convert).filter((child): child is DataNode => child !== null);
      const outside = !isInScope(node, scopeNodeId);
      return {
        key: node.id,
        title: (
          <Space size={6} data-testid="org-tree-node" data-node-id={node.id} data-node-kind={node.kind}>
            <Typography.Text type={outside || node.archived ? 'secondary' : undefined} delete={node.archived}>
              {highlight(node.name, query)}
            </Typography.Text>
            <Tag bordered={false} color={KIND_COLORS[node.kind]} style={{ marginInlineEnd: 0, fontSize: 11, lineHeight: '18px' }}>
              {ORG_KIND_LABELS[node.kind]}
            </Tag>
            {node.kind === 'campus' && node.schoolCode && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {node.schoolCode}
              </Typography.Text>
            )}
            {node.archived && <Tag style={{ marginInlineEnd: 0 }}>已归档</Tag>}
          </Space>
        ),
        ...(children.length > 0 ? { children } : { isLeaf: true }),
      };
    };
    return buildOrgTree(nodes)
      .map(convert)
      .filter((node): node is DataNode => node !== null);
  }, [nodes, matches, searching, query, scopeNodeId]);

  if (!user) return null;
  const role = user.role;
  const inScope = selected ? isInScope(selected, scopeNodeId) : false;
  const childKinds = selected && access.canManageOrg && inScope ? creatableChildKinds(selected, role) : [];
  const canEdit = selected !== null && access.canManageOrg && canEditNode(selected, role, inScope);
  // The server refuses to archive the node the user's own grant sits on.
  const canArchive = canEdit && selected !== null && !selected.archived && selected.id !== scopeNodeId;
  const canPromote = selected !== null && canPromoteNode(selected, access.canPromoteAcademicYear, inScope);
  const readOnlyReason = !access.canManageOrg
    ? '您的角色只能查看组织架构'
    : !inScope
      ? '不在您的管辖范围内'
      : selected
        ? `您的角色不能维护${ORG_KIND_LABELS[selected.kind]}`
        : null;

  const afterChange = async (focusId?: string) => {
    await Promise.all([load(), shared.reload()]);
    if (focusId) {
      setSelectedId(focusId);
      const node = byId.get(focusId);
      setExpanded((keys) => [...new Set([...(keys ?? []), ...(node?.path ?? [])])]);
    }
  };

  const confirmArchive = () => {
    if (!selected) return;
    modal.confirm({
      title: `归档${ORG_KIND_LABELS[selected.kind]}「${selected.name}」？`,
      content: '归档后该节点不再出现在选择列表中，已有数据保留。下级节点须先归档或移走。',
      okText: '归档',
      okButtonProps: { danger: true, 'data-testid': 'org-archive-confirm' },
      cancelText: '取消',
      onOk: async () => {
        try {
          await orgService.archiveOrgNode(selected.id);
          message.success(`已归档「${selected.name}」`);
          setSelectedId(selected.parentId);
          await afterChange();
        } catch (err) {
          message.error(describeError(err));
        }
      },
    });
  };

  return (
    <PageContainer
      title="组织架构"
      subTitle={`${user.scope.name}（${ORG_KIND_LABELS[user.scope.kind]}）及其下级`}
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xl={9}>
          <Card
            variant="borderless"
            title="组织树"
            extra={
              <Space size={6}>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  显示已归档
                </Typography.Text>
                <Switch size="small" checked={includeArchived} onChange={setIncludeArchived} data-testid="org-show-archived" />
              </Space>
            }
            styles={{ body: { paddingTop: 12 } }}
          >
            <Input.Search
              allowClear
              placeholder="搜索名称或学校代码"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              style={{ marginBottom: 12 }}
              data-testid="org-search"
            />
            {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
            <Spin spinning={loading}>
              {treeData.length === 0 && !loading ? (
                <Empty description={searching ? '没有匹配的节点' : '暂无组织节点'} />
              ) : (
                <div data-testid="org-tree" style={{ maxHeight: 'calc(100vh - 300px)', minHeight: 240, overflow: 'auto' }}>
                  <Tree
                    showLine={{ showLeafIcon: false }}
                    blockNode
                    treeData={treeData}
                    selectedKeys={selectedId ? [selectedId] : []}
                    expandedKeys={searching ? [...matches] : (expanded ?? [])}
                    onExpand={(keys) => !searching && setExpanded(keys.map(String))}
                    onSelect={(keys) => keys[0] !== undefined && setSelectedId(String(keys[0]))}
                  />
                </div>
              )}
            </Spin>
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <NodeDetail
            node={selected}
            nodes={nodes}
            inScope={inScope}
            canAddChild={childKinds.length > 0}
            canEdit={canEdit}
            canArchive={canArchive}
            canPromote={canPromote}
            readOnlyReason={readOnlyReason}
            onAddChild={() => selected && setFormMode({ type: 'create', parent: selected, kinds: childKinds })}
            onEdit={() => selected && setFormMode({ type: 'edit', node: selected })}
            onArchive={confirmArchive}
            onPromote={() => selected && setPromoting(selected)}
          />
        </Col>
      </Row>
      {promoting && <PromotionDrawer node={promoting} onClose={() => setPromoting(null)} onPromoted={() => void afterChange()} />}
      <NodeFormModal
        mode={formMode}
        onClose={() => setFormMode(null)}
        onSaved={(saved) => {
          setFormMode(null);
          setExpanded((keys) => [...new Set([...(keys ?? []), ...saved.path.slice(0, -1)])]);
          void afterChange(saved.id);
        }}
      />
    </PageContainer>
  );
}
