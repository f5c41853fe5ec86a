/**
 * A small organisation tree for unit tests, shaped like the demo data:
 * bank → branch → group → two campuses → divisions → grades → classes.
 */
import type { OrgNode, OrgNodeKind } from '@campuspay/shared';

interface Spec {
  id: string;
  kind: OrgNodeKind;
  name: string;
  parent: string | null;
  schoolCode?: string;
  level?: number;
  international?: boolean;
  archived?: boolean;
  sortOrder?: number;
}

const SPECS: Spec[] = [
  { id: 'bank', kind: 'bank', name: '示范商业银行', parent: null },
  { id: 'branch', kind: 'branch', name: '城东支行', parent: 'bank' },
  { id: 'group', kind: 'school_group', name: '明德教育集团', parent: 'branch' },
  { id: 'east', kind: 'campus', name: '明德东校区', parent: 'group', schoolCode: 'MDE001', sortOrder: 1 },
  { id: 'west', kind: 'campus', name: '明德西校区', parent: 'group', schoolCode: 'MDW001', sortOrder: 2 },
  { id: 'east-primary', kind: 'division', name: '小学部', parent: 'east' },
  { id: 'east-g1', kind: 'grade', name: '一年级', parent: 'east-primary', level: 1 },
  { id: 'east-g1-c1', kind: 'class', name: '1班', parent: 'east-g1', sortOrder: 1 },
  { id: 'east-g1-c2', kind: 'class', name: '2班', parent: 'east-g1', sortOrder: 2 },
  { id: 'east-g2', kind: 'grade', name: '二年级', parent: 'east-primary', level: 2 },
  { id: 'east-g2-c1', kind: 'class', name: '1班', parent: 'east-g2' },
  { id: 'west-intl', kind: 'division', name: '国际部', parent: 'west', international: true },
  { id: 'west-g1', kind: 'grade', name: '高一', parent: 'west-intl', level: 1 },
  { id: 'west-g1-c1', kind: 'class', name: '1班', parent: 'west-g1' },
  { id: 'west-old', kind: 'division', name: '旧学部', parent: 'west', archived: true },
];

export function orgFixture(): OrgNode[] {
  const paths = new Map<string, string[]>();
  return SPECS.map((spec) => {
    const path = [...(spec.parent ? (paths.get(spec.parent) ?? []) : []), spec.id];
    paths.set(spec.id, path);
    return {
      id: spec.id,
      kind: spec.kind,
      name: spec.name,
      parentId: spec.parent,
      path,
      schoolCode: spec.schoolCode ?? null,
      level: spec.level ?? null,
      international: spec.international ?? false,
      sortOrder: spec.sortOrder ?? 0,
      archived: spec.archived ?? false,
    };
  });
}

export function nodeOf(nodes: readonly OrgNode[], id: string): OrgNode {
  const node = nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
}
