import { useEffect, useRef, useState } from 'react';
import { Select, Spin, Typography } from 'antd';
import type { Student } from '@campuspay/shared';
import { describeError } from '../../../services/describe-error.ts';
import { isAbortError } from '../../../services/request.ts';
import * as studentsService from '../../../services/students.ts';
import type { PickedStudent } from '../batch-flow.ts';

interface StudentPickerProps {
  value: PickedStudent[];
  onChange(value: PickedStudent[]): void;
  /** Search only under this node (the fee item's school). */
  nodeId: string | undefined;
  placeholder: string;
  disabled?: boolean;
  testId: string;
}

const SEARCH_DELAY_MS = 300;

function pickedOf(student: Student): PickedStudent {
  return { id: student.id, studentNo: student.studentNo, name: student.name, className: `${student.gradeName}${student.className}` };
}

/** Several students by 学号 or 姓名, searched as one types (enrolled students only). */
export function StudentPicker({ value, onChange, nodeId, placeholder, disabled, testId }: StudentPickerProps) {
  const [options, setOptions] = useState<PickedStudent[]>([]);
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const timerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () => () => {
      controllerRef.current?.abort();
      clearTimeout(timerRef.current);
    },
    [],
  );

  const search = (text: string) => {
    clearTimeout(timerRef.current);
    controllerRef.current?.abort();
    const q = text.trim();
    if (!q) {
      setOptions([]);
      setSearching(false);
      return;
    }
    setSearching(true);
    timerRef.current = setTimeout(() => {
      const controller = new AbortController();
      controllerRef.current = controller;
      studentsService
        .listStudents({ q, nodeId, status: 'enrolled', pageSize: 20 }, controller.signal)
        .then((page) => {
          setOptions(page.items.map(pickedOf));
          setProblem(null);
        })
        .catch((err: unknown) => {
          if (!isAbortError(err)) setProblem(describeError(err));
        })
        .finally(() => {
          if (!controller.signal.aborted) setSearching(false);
        });
    }, SEARCH_DELAY_MS);
  };

  const known = new Map([...value, ...options].map((s) => [s.id, s]));
  return (
    <Select<string[]>
      mode="multiple"
      value={value.map((s) => s.id)}
      onChange={(ids) => onChange(ids.flatMap((id) => (known.has(id) ? [known.get(id) as PickedStudent] : [])))}
      showSearch
      filterOption={false}
      onSearch={search}
      onBlur={() => setOptions([])}
      disabled={disabled}
      placeholder={placeholder}
      notFoundContent={searching ? <Spin size="small" /> : problem ? <Typography.Text type="danger">{problem}</Typography.Text> : '输入学号或姓名搜索'}
      options={[...value, ...options.filter((s) => !value.some((v) => v.id === s.id))].map((s) => ({
        value: s.id,
        label: `${s.name}（${s.studentNo}）`,
        title: `${s.studentNo} ${s.name} · ${s.className}`,
      }))}
      optionRender={(option) => {
        const s = known.get(String(option.value));
        return s ? (
          <span>
            {s.name} <Typography.Text type="secondary">{s.studentNo} · {s.className}</Typography.Text>
          </span>
        ) : (
          option.label
        );
      }}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
