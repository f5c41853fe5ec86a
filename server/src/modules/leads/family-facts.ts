import type { Connection } from 'mongoose';
import { addDays, businessDay } from '@campuspay/shared';
import { BillModel } from '../billing/billing.models.ts';
import { ConsentModel, consentId, type ConsentDoc } from '../consent/consent.model.ts';
import { bankTypeKey } from '../insights/figures.ts';
import { findByIds } from '../../platform/db/find-by-ids.ts';
import { LedgerEntryModel } from '../ledger/ledger-entry.model.ts';
import { OrgNodeModel } from '../org/org-node.model.ts';
import { ParentChildModel } from '../parents/parent.model.ts';
import { OrderModel } from '../payments/order.model.ts';
import { GuardianModel } from '../people/guardian.model.ts';
import { StudentModel } from '../people/student.model.ts';
import { StaffListModel } from './lead.models.ts';
import type { ChildPlace, FamilyFacts } from './rules.ts';

const PAID_ORDER_STATES = ['PAID', 'REFUNDED', 'PARTIALLY_REFUNDED'] as ('PAID' | 'REFUNDED' | 'PARTIALLY_REFUNDED')[];

type StudentRow = { _id: string; orgPath: string[]; campusId: string; groupId: string; guardianIds: string[] };
type BillRow = { _id: string; studentId: string; amountDueFen: number; feeItemName: string; status: string; published: boolean };
type EntryRow = { studentId: string; kind: string; amountFen: number; day: string };
type OrderRow = { parentId: string; bankType: string | null; orgPath: string[] };
type NodeRow = { _id: string; name: string; kind: string; international?: boolean };
type StaffListRow = { _id: string; name: string; phoneHashes: string[] };

/** One family's raw material, from whichever loader; `build` turns it into facts. */
export interface FamilyMaterial {
  bankId: string;
  parentId: string;
  students: StudentRow[];
  bills: BillRow[];
  entries: EntryRow[];
  orders: OrderRow[];
  guardianHashes: string[];
  consent: ConsentDoc | null;
}

export interface Lookup {
  nodes: Map<string, NodeRow>;
  staffLists: Map<string, StaffListRow>;
}

/** The last 12 months up to today, Asia/Shanghai. */
export function feeWindow(today = businessDay()): { from: string; to: string } {
  return { from: addDays(today, -364), to: today };
}

export function childPlace(s: StudentRow, nodes: Map<string, NodeRow>): ChildPlace {
  const i = s.orgPath.indexOf(s.campusId);
  const divisionId = s.orgPath[i + 1] ?? '';
  const division = nodes.get(divisionId);
  return {
    groupId: s.groupId,
    groupName: nodes.get(s.groupId)?.name ?? '',
    campusId: s.campusId,
    campusName: nodes.get(s.campusId)?.name ?? '',
    divisionId,
    divisionName: division?.name ?? '',
    international: Boolean(division?.international),
  };
}

/** Family scope path: every child's ancestry down to the division (never the grade or class). */
export function familyPath(students: StudentRow[]): string[] {
  const path = new Set<string>();
  for (const s of students) {
    const i = s.orgPath.indexOf(s.campusId);
    for (const id of s.orgPath.slice(0, i + 2)) path.add(id);
  }
  return [...path];
}

export function buildFacts(m: FamilyMaterial, lookup: Lookup, window = feeWindow()): FamilyFacts {
  const children = m.students.map((s) => childPlace(s, lookup.nodes));
  let net = 0;
  for (const e of m.entries) {
    if (e.day < window.from || e.day > window.to) continue;
    net += e.kind === 'payment' ? e.amountFen : -e.amountFen;
  }
  const live = m.bills.filter((b) => b.published && b.status !== 'cancelled');
  const cards: FamilyFacts['cards'] = {};
  for (const o of m.orders) {
    const key = bankTypeKey(o.bankType);
    const c = (cards[key] ??= { count: 0, fen: 0 });
    c.count += 1;
  }
  const hashes = new Set([...m.guardianHashes, ...(m.consent?.status === 'granted' && m.consent.phoneHash ? [m.consent.phoneHash] : [])]);
  const schoolIds = [...new Set(m.students.flatMap((s) => [s.groupId, s.campusId]))];
  const staffListSchools = schoolIds
    .map((id) => lookup.staffLists.get(id))
    .filter((l): l is StaffListRow => Boolean(l && l.phoneHashes.some((h) => hashes.has(h))))
    .map((l) => l.name);
  return {
    children,
    windowFrom: window.from,
    windowTo: window.to,
    netFeesFen: net,
    largestBillFen: live.reduce((max, b) => Math.max(max, b.amountDueFen), 0),
    feeItemNames: [...new Set(live.map((b) => b.feeItemName))],
    cards,
    staffListSchools,
  };
}

/** Amounts per card are added from the orders' totals by the loaders (orders carry totals, not per-bill splits). */
function addOrderAmounts(facts: FamilyFacts, orders: (OrderRow & { totalFen?: number; refundedFen?: number })[]): FamilyFacts {
  for (const key of Object.keys(facts.cards)) facts.cards[key]!.fen = 0;
  for (const o of orders) {
    const key = bankTypeKey(o.bankType);
    facts.cards[key]!.fen += o.totalFen ?? 0;
  }
  return facts;
}

const STUDENT_FIELDS = { orgPath: 1, campusId: 1, groupId: 1, guardianIds: 1 } as const;
const BILL_FIELDS = { studentId: 1, amountDueFen: 1, feeItemName: 1, status: 1, published: 1 } as const;

/** Loads one family's facts with indexed queries (by parent, by student, by bill). */
export async function loadFamily(db: Connection, bankId: string, parentId: string): Promise<{ facts: FamilyFacts; students: StudentRow[]; consent: ConsentDoc | null } | null> {
  const window = feeWindow();
  const links = await ParentChildModel(db).find({ parentId }, { studentId: 1 }).lean<{ studentId: string }[]>();
  const found = await findByIds<StudentRow>(db, StudentModel(db).collection.collectionName, links.map((l) => l.studentId), STUDENT_FIELDS);
  const students = [...found.values()].filter((s) => s.orgPath[0] === bankId).sort((a, b) => (a._id < b._id ? -1 : 1));
  if (students.length === 0) return null;
  const ids = students.map((s) => s._id);
  const bills = await BillModel(db).find({ studentId: { $in: ids } }, BILL_FIELDS).lean<BillRow[]>();
  const entries = bills.length
    ? await LedgerEntryModel(db).find({ billId: { $in: bills.map((b) => b._id) }, day: { $gte: window.from } }, { studentId: 1, kind: 1, amountFen: 1, day: 1 }).lean<EntryRow[]>()
    : [];
  const orders = (
    await OrderModel(db).find({ parentId, status: { $in: PAID_ORDER_STATES } }, { parentId: 1, bankType: 1, orgPath: 1, totalFen: 1, refundedFen: 1 }).lean<(OrderRow & { totalFen: number })[]>()
  ).filter((o) => o.orgPath[0] === bankId);
  const guardians = await findByIds<{ _id: string; phoneHash: string }>(db, GuardianModel(db).collection.collectionName, students.flatMap((s) => s.guardianIds ?? []), { phoneHash: 1 });
  const consent = await ConsentModel(db).findById(consentId(bankId, parentId)).lean<ConsentDoc>();
  const nodeIds = students.flatMap((s) => {
    const i = s.orgPath.indexOf(s.campusId);
    return [s.groupId, s.campusId, s.orgPath[i + 1] ?? ''];
  });
  const nodes = await findByIds<NodeRow>(db, OrgNodeModel(db).collection.collectionName, nodeIds, { name: 1, kind: 1, international: 1 });
  const staffLists = await findByIds<StaffListRow>(db, StaffListModel(db).collection.collectionName, [...new Set(students.flatMap((s) => [s.groupId, s.campusId]))], {
    name: 1,
    phoneHashes: 1,
  });
  const facts = buildFacts(
    { bankId, parentId, students, bills, entries, orders, guardianHashes: [...guardians.values()].map((g) => g.phoneHash), consent },
    { nodes, staffLists },
    window,
  );
  return { facts: addOrderAmounts(facts, orders), students, consent };
}

/**
 * Loads every family of a bank in a few streaming passes (students, links,
 * bills, the last 12 months of the ledger, paid orders, guardians), for the
 * nightly job and rule changes. Calls `each` per family with material.
 */
export async function loadBankFamilies(
  db: Connection,
  bankId: string,
  each: (m: { parentId: string; facts: FamilyFacts; students: StudentRow[]; consent: ConsentDoc | null }) => Promise<void>,
): Promise<number> {
  const window = feeWindow();
  const students = new Map<string, StudentRow>();
  for await (const s of StudentModel(db).collection.find({ orgPath: bankId }, { projection: STUDENT_FIELDS })) students.set(String(s._id), { ...(s as unknown as StudentRow), _id: String(s._id) });
  const familyStudents = new Map<string, string[]>();
  for await (const l of ParentChildModel(db).collection.find({}, { projection: { parentId: 1, studentId: 1 } })) {
    const sid = String(l.studentId);
    if (!students.has(sid)) continue;
    const pid = String(l.parentId);
    familyStudents.set(pid, [...(familyStudents.get(pid) ?? []), sid]);
  }
  const wanted = new Set([...familyStudents.values()].flat());
  const billsOf = new Map<string, BillRow[]>();
  for await (const b of BillModel(db).collection.find({ orgPath: bankId }, { projection: BILL_FIELDS })) {
    const row = { ...(b as unknown as BillRow), _id: String(b._id) };
    if (!wanted.has(row.studentId)) continue;
    billsOf.set(row.studentId, [...(billsOf.get(row.studentId) ?? []), row]);
  }
  const entriesOf = new Map<string, EntryRow[]>();
  for await (const e of LedgerEntryModel(db).collection.find({ orgPath: bankId, day: { $gte: window.from } }, { projection: { studentId: 1, kind: 1, amountFen: 1, day: 1 } })) {
    const row = e as unknown as EntryRow;
    if (!wanted.has(row.studentId)) continue;
    entriesOf.set(row.studentId, [...(entriesOf.get(row.studentId) ?? []), row]);
  }
  const ordersOf = new Map<string, (OrderRow & { totalFen: number })[]>();
  for await (const o of OrderModel(db).collection.find({ orgPath: bankId, status: { $in: PAID_ORDER_STATES } }, { projection: { parentId: 1, bankType: 1, orgPath: 1, totalFen: 1 } })) {
    const row = o as unknown as OrderRow & { totalFen: number };
    if (!familyStudents.has(row.parentId)) continue;
    ordersOf.set(row.parentId, [...(ordersOf.get(row.parentId) ?? []), row]);
  }
  const hashOf = new Map<string, string>();
  for await (const g of GuardianModel(db).collection.find({ orgPath: bankId }, { projection: { phoneHash: 1 } })) hashOf.set(String(g._id), String(g.phoneHash));
  const consents = new Map<string, ConsentDoc>();
  for await (const c of ConsentModel(db).collection.find({ bankId })) consents.set(String(c.parentId), c as unknown as ConsentDoc);
  const nodes = new Map<string, NodeRow>();
  for await (const n of OrgNodeModel(db).collection.find({ path: bankId, kind: { $in: ['school_group', 'campus', 'division'] } }, { projection: { name: 1, kind: 1, international: 1 } })) {
    nodes.set(String(n._id), { ...(n as unknown as NodeRow), _id: String(n._id) });
  }
  const staffLists = new Map<string, StaffListRow>();
  for await (const l of StaffListModel(db).collection.find({ orgPath: bankId }, { projection: { name: 1, phoneHashes: 1 } })) staffLists.set(String(l._id), { ...(l as unknown as StaffListRow), _id: String(l._id) });

  let families = 0;
  for (const [parentId, sids] of familyStudents) {
    const own = sids.map((id) => students.get(id)!).sort((a, b) => (a._id < b._id ? -1 : 1));
    const orders = ordersOf.get(parentId) ?? [];
    const consent = consents.get(parentId) ?? null;
    const facts = buildFacts(
      {
        bankId,
        parentId,
        students: own,
        bills: sids.flatMap((id) => billsOf.get(id) ?? []),
        entries: sids.flatMap((id) => entriesOf.get(id) ?? []),
        orders,
        guardianHashes: own.flatMap((s) => (s.guardianIds ?? []).map((g) => hashOf.get(g) ?? '')).filter(Boolean),
        consent,
      },
      { nodes, staffLists },
      window,
    );
    await each({ parentId, facts: addOrderAmounts(facts, orders), students: own, consent });
    families += 1;
  }
  return families;
}
