import test from 'ava';
import fc from 'fast-check';
import { FIG, classifyBankType, estimatedFee, periodBuckets, periodFigures, termOf, weekStart, zeroFigures } from './figures.ts';
import { RollupPlanner, mergeMonth, mergeRank, packRankDay, unpackRankDay, type OrderFacts, type RollupEntry } from './rollup-planner.ts';

const EAST = ['bank', 'branch', 'sub', 'group', 'east'];
const WEST = ['bank', 'branch', 'sub', 'group', 'west'];

function plan(entries: RollupEntry[], orders: Map<string, OrderFacts>) {
  const planner = new RollupPlanner();
  for (const e of entries) planner.add(e, e.orderId ? (orders.get(e.orderId) ?? null) : null);
  const sorted = <T extends { _id: string }>(m: Map<string, T>) => [...m.values()].sort((a, b) => a._id.localeCompare(b._id));
  return JSON.parse(JSON.stringify({ months: sorted(planner.months), ranks: sorted(planner.ranks), markers: planner.touchedMarkers().sort((a, b) => a._id.localeCompare(b._id)) }));
}

const entryArb = fc.record({
  n: fc.integer({ min: 0, max: 1e6 }),
  kind: fc.constantFrom('payment', 'payment', 'refund', 'reversal'),
  method: fc.constantFrom('wechat', 'wechat', 'cash', 'pos'),
  amountFen: fc.integer({ min: 1, max: 5_000_000 }),
  day: fc.constantFrom('2026-08-30', '2026-08-31', '2026-09-01'),
  west: fc.boolean(),
  parent: fc.constantFrom('p1', 'p2', 'p3'),
  bankType: fc.constantFrom('ICBC_DEBIT', 'CMB_CREDIT', 'OTHERS'),
  order: fc.integer({ min: 1, max: 6 }),
});

test('the planner gives the same rollups whatever order the entries arrive in (folding live = rebuilding)', (t) => {
  fc.assert(
    fc.property(fc.array(entryArb, { minLength: 1, maxLength: 30 }), fc.integer(), (raw, seed) => {
      const orders = new Map<string, OrderFacts>();
      const entries: RollupEntry[] = raw.map((r, i) => {
        const orderId = r.method === 'wechat' ? `o${r.order}` : null;
        if (orderId && !orders.has(orderId)) orders.set(orderId, { parentId: r.parent, firstBillId: `b${r.order}-0` });
        return {
          _id: `e${String(i).padStart(3, '0')}`,
          kind: r.kind as RollupEntry['kind'],
          method: r.method as RollupEntry['method'],
          amountFen: r.amountFen,
          day: r.day,
          ancestry: r.west ? WEST : EAST,
          studentId: `s${r.n % 5}`,
          billId: `b${r.order}-${r.n % 2}`,
          orderId,
          bankType: r.method === 'wechat' ? r.bankType : null,
        };
      });
      const shuffled = [...entries].sort((a, b) => ((a._id.charCodeAt(3) * 31 + seed) % 7) - ((b._id.charCodeAt(3) * 31 + seed) % 7));
      t.deepEqual(plan(shuffled, orders), plan(entries, orders));
      t.deepEqual(plan([...entries].reverse(), orders), plan(entries, orders));
    }),
    { numRuns: 200 },
  );
});

test('first-time credits sit with the earliest payment; campus and group count payers separately', (t) => {
  const orders = new Map<string, OrderFacts>([
    ['o1', { parentId: 'p1', firstBillId: 'b1' }],
    ['o2', { parentId: 'p1', firstBillId: 'b2' }],
  ]);
  const pay = (id: string, day: string, ancestry: string[], orderId: string, billId: string): RollupEntry => ({ _id: id, kind: 'payment', method: 'wechat', amountFen: 100, day, ancestry, studentId: 's', billId, orderId, bankType: 'ICBC_DEBIT' });
  const planner = new RollupPlanner();
  planner.add(pay('e2', '2026-09-02', EAST, 'o2', 'b2'), orders.get('o2')!);
  planner.add(pay('e1', '2026-09-01', WEST, 'o1', 'b1'), orders.get('o1')!);
  planner.add(pay('e3', '2026-09-02', EAST, 'o2', 'b3'), orders.get('o2')!);
  const slot = (node: string, day: string) => planner.months.get(`${node}|${day === 'ALL' ? 'ALL' : day.slice(0, 7)}`)?.d[day === 'ALL' ? 'ALL' : day.slice(8)];
  const f = (node: string, day: string) => slot(node, day)?.f ?? zeroFigures();
  t.is(f('east', '2026-09-02')[FIG.newPayers], 1, 'first payment at the east campus');
  t.is(f('west', '2026-09-01')[FIG.newPayers], 1);
  t.is(f('group', '2026-09-01')[FIG.newPayers], 1, 'the group counts the parent once, on the earliest day');
  t.is(f('group', '2026-09-02')[FIG.newPayers], 0);
  t.is(f('bank', 'ALL')[FIG.newPayers], 1);
  t.is(f('east', '2026-09-02')[FIG.onlineCount], 1, 'one transaction for two bills of one order');
  t.is(f('east', '2026-09-02')[FIG.onlineFen], 200);
  t.deepEqual(slot('group', '2026-09-02')?.ch.east?.[FIG.newPayers], 1, 'the group sees the campus figure of its child');
  t.is(planner.ranks.get('sub|2026-09')?.d['02']?.east?.[FIG.newPayers], 1, 'branches rank campuses by campus payers');
  t.is(f('bank', 'ALL')[FIG.newLive], 2);
  t.deepEqual(slot('east', '2026-09-02')?.cards, { ICBC_DEBIT: [1, 200] });
});

test('merging a delta into a stored month document adds figures, children and cards, and stores them compactly', (t) => {
  const doc = { d: { '01': { f: [1, 1], ch: { a: [5] }, cards: { X: [1, 10] } }, '02': { f: [7] } } };
  const zero = zeroFigures();
  const delta = (f: number[]) => f.concat(zero.slice(f.length));
  const merged = mergeMonth(doc, { d: { '01': { f: delta([1, 0, 3]), ch: { a: delta([1]), b: delta([2]) }, cards: { X: [1, 5], Y: [1, 1] } } } });
  t.deepEqual(merged['01'], { f: [2, 1, 3], ch: { a: [6], b: [2] }, cards: { X: [2, 15], Y: [1, 1] } });
  t.deepEqual(merged['02'], { f: [7] }, 'other days untouched');
});

test('WeChat bank_type: own and other banks, debit and credit, change', (t) => {
  t.is(classifyBankType('ICBC_DEBIT', ['ICBC']), 'own_debit');
  t.is(classifyBankType('ICBC_CREDIT', ['ICBC']), 'own_credit');
  t.is(classifyBankType('CMB_CREDIT', ['ICBC']), 'other_credit');
  t.is(classifyBankType('ABC_DEBIT', ['ICBC']), 'other_debit');
  t.is(classifyBankType('OTHERS', ['ICBC']), 'balance');
  t.is(classifyBankType('LQT', ['ICBC']), 'balance');
  t.is(classifyBankType('UNKNOWN', ['ICBC']), 'unknown');
  t.is(classifyBankType('CMB_DEBIT', ['ICBC', 'CMB']), 'own_debit', 'several own codes');
});

test('settlement is T+1 for online money, net of the fee; counter money settles the same day', (t) => {
  const day = (online: number, counter: number) => {
    const f = zeroFigures();
    f[FIG.onlineFen] = online;
    f[FIG.counterFen] = counter;
    return f;
  };
  const byDay = new Map([
    ['2026-09-01', day(1_000_000, 50_000)],
    ['2026-09-02', day(200_000, 0)],
  ]);
  const p = periodFigures(byDay, '2026-09-02', '2026-09-02', 60);
  t.is(p.estimatedFeeFen, 6000);
  t.is(p.settledNetFen, 1_000_000 - 6000);
  t.is(p.netInflowFen, 200_000);
  t.is(estimatedFee(-5, 60), 0);
  t.is(estimatedFee(83, 60), 0, '0.498 fen rounds to 0');
  t.is(estimatedFee(84, 60), 1, '0.504 fen rounds to 1');
});

test('periods: ISO weeks, months and school terms clipped to the period', (t) => {
  t.is(weekStart('2026-09-06'), '2026-08-31');
  t.is(weekStart('2026-08-31'), '2026-08-31');
  t.deepEqual(termOf('2026-09-01'), { key: '2026-T1', label: '2026-2027 学年第一学期', from: '2026-08-01', to: '2027-01-31' });
  t.is(termOf('2027-01-15').key, '2026-T1');
  t.is(termOf('2027-03-01').key, '2026-T2');
  t.deepEqual(
    periodBuckets('2026-08-30', '2026-09-08', 'week').map((b) => [b.from, b.to]),
    [
      ['2026-08-30', '2026-08-30'],
      ['2026-08-31', '2026-09-06'],
      ['2026-09-07', '2026-09-08'],
    ],
  );
  t.deepEqual(
    periodBuckets('2026-12-20', '2027-02-03', 'month').map((b) => b.label),
    ['2026-12', '2027-01', '2027-02'],
  );
  t.deepEqual(
    periodBuckets('2027-01-20', '2027-02-10', 'term').map((b) => [b.from, b.to]),
    [
      ['2027-01-20', '2027-01-31'],
      ['2027-02-01', '2027-02-10'],
    ],
  );
});

test('ranking days pack to one string in campus order and unpack to the same figures; merging adds into them', (t) => {
  const packed = packRankDay({ west: [0, 5, 0], east: [1, 2, 3, 0, 0] });
  t.is(packed, 'east=1,2,3;west=0,5');
  t.deepEqual(unpackRankDay(packed), { east: [1, 2, 3], west: [0, 5] });
  t.deepEqual(unpackRankDay(''), {});
  t.deepEqual(unpackRankDay(packRankDay({ idle: [0, 0] })), { idle: [] });
  const merged = mergeRank({ d: { '02': packed } }, { d: { '02': { east: [1, 0, 0] }, '03': { north: [7] } } });
  t.deepEqual(unpackRankDay(merged['02']!).east!.slice(0, 3), [2, 2, 3]);
  t.deepEqual(unpackRankDay(merged['03']!).north!.slice(0, 1), [7]);
});
