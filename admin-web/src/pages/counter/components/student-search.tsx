import { forwardRef, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Input, List, Space, Tag, TreeSelect, Typography, type InputRef } from 'antd';
import type { OrgNode, Student } from '@campuspay/shared';
import { orgSelectTree } from '../../../org/org-tree.ts';
import { describeError } from '../../../services/describe-error.ts';
import * as studentsService from '../../../services/students.ts';

export interface StudentSearchHandle {
  focus(): void;
  clear(): void;
}

interface StudentSearchProps {
  nodes: readonly OrgNode[];
  /** Search under this node (the header's campus or the user's scope). */
  rootId: string | undefined;
  onPick(student: Student): void;
}

const STATUS_TEXT: Record<Student['status'], string> = { enrolled: '在读', graduated: '已毕业', left: '已离校' };

/**
 * The cashier's search: 学号 or 姓名 (and optionally a class), Enter to
 * search; ↑/↓ move through the results and Enter picks; a single match is
 * picked at once.
 */
export const StudentSearch = forwardRef<StudentSearchHandle, StudentSearchProps>(function StudentSearch({ nodes, rootId, onPick }, ref) {
  const inputRef = useRef<InputRef>(null);
  const [text, setText] = useState('');
  const [classId, setClassId] = useState<string | undefined>(undefined);
  const [searched, setSearched] = useState<string | null>(null);
  const [results, setResults] = useState<Student[]>([]);
  const [total, setTotal] = useState(0);
  const [highlight, setHighlight] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const classTree = useMemo(
    () => orgSelectTree(nodes, { rootId, visibleKinds: ['campus', 'division', 'grade', 'class'], selectableKinds: ['grade', 'class'] }),
    [nodes, rootId],
  );

  useImperativeHandle(ref, () => ({
    focus: () => inputRef.current?.focus({ cursor: 'all' }),
    clear: () => {
      setText('');
      setResults([]);
      setSearched(null);
      setError(null);
    },
  }));

  const queryKey = `${text.trim()}|${classId ?? ''}`;

  const choose = (student: Student) => {
    setResults([]);
    setSearched(null);
    onPick(student);
  };

  const search = async () => {
    const q = text.trim();
    if (!q && !classId) {
      setError('请输入学号、姓名，或选择班级');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const page = await studentsService.listStudents({ q: q || undefined, nodeId: classId ?? rootId, pageSize: 50 });
      setResults(page.items);
      setTotal(page.total);
      setHighlight(0);
      setSearched(queryKey);
      if (page.items.length === 1 && page.items[0]) choose(page.items[0]);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const fresh = searched === queryKey && results.length > 0;
    if (event.key === 'ArrowDown' && fresh) {
      event.preventDefault();
      setHighlight((i) => Math.min(results.length - 1, i + 1));
    } else if (event.key === 'ArrowUp' && fresh) {
      event.preventDefault();
      setHighlight((i) => Math.max(0, i - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = results[highlight];
      if (fresh && chosen && results.length > 1) choose(chosen);
      else void search();
    } else if (event.key === 'Escape') {
      setText('');
      setResults([]);
      setSearched(null);
    }
  };

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          ref={inputRef}
          size="large"
          autoFocus
          allowClear
          prefix={<SearchOutlined />}
          placeholder="学号 / 姓名，回车搜索（F2 回到此处）"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          aria-label="搜索学生"
          data-testid="counter-search"
        />
        <TreeSelect
          size="large"
          allowClear
          placeholder="班级（选填）"
          treeData={classTree}
          value={classId}
          onChange={(value?: string) => setClassId(value ?? undefined)}
          showSearch
          treeNodeFilterProp="label"
          treeNodeLabelProp="fullTitle"
          style={{ width: 260 }}
          popupMatchSelectWidth={false}
          listHeight={360}
          data-testid="counter-class"
        />
        <Button size="large" type="primary" loading={busy} onClick={() => void search()} data-testid="counter-search-submit">
          搜索
        </Button>
      </Space.Compact>
      {error && <Alert type="error" showIcon message={error} />}
      {searched !== null && results.length === 0 && !busy && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有找到学生" />}
      {results.length > 1 && (
        <List
          size="small"
          bordered
          dataSource={results}
          header={
            <Typography.Text type="secondary">
              找到 {total} 名学生{total > results.length ? `，显示前 ${results.length} 名，请输入更完整的学号或姓名` : ''}；↑↓ 选择，回车确认
            </Typography.Text>
          }
          style={{ maxHeight: 320, overflow: 'auto' }}
          renderItem={(student, index) => (
            <List.Item
              onClick={() => choose(student)}
              onMouseEnter={() => setHighlight(index)}
              style={{ cursor: 'pointer', background: index === highlight ? '#e6f0ff' : undefined }}
              data-testid="counter-student-row"
              data-student-no={student.studentNo}
              aria-selected={index === highlight}
            >
              <Space size={12}>
                <Typography.Text strong>{student.name}</Typography.Text>
                <Typography.Text>{student.studentNo}</Typography.Text>
                <Typography.Text type="secondary">
                  {student.campusName} / {student.gradeName}
                  {student.className}
                </Typography.Text>
                {student.status !== 'enrolled' && <Tag bordered={false}>{STATUS_TEXT[student.status]}</Tag>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
});
