import test from 'ava';
import { addDays, businessDay, businessDayRange, daysBetween, isDayKey, toRfc3339Shanghai } from './business-day.ts';
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

test('an instant belongs to its Asia/Shanghai calendar day', (t) => {
  t.is(businessDay(new Date('2026-09-01T15:59:59Z')), '2026-09-01');
  t.is(businessDay(new Date('2026-09-01T16:00:00Z')), '2026-09-02', 'midnight in Shanghai is 16:00 UTC');
});

test('a business day is the half-open Shanghai interval', (t) => {
  const { start, end } = businessDayRange('2026-09-01');
  t.is(start.toISOString(), '2026-08-31T16:00:00.000Z');
  t.is(end.toISOString(), '2026-09-01T16:00:00.000Z');
  t.throws(() => businessDayRange('2026-02-30'));
});

test('day keys validate and step across month ends', (t) => {
  t.true(isDayKey('2028-02-29'));
  t.false(isDayKey('2027-02-29'));
  t.false(isDayKey('2026-9-1'));
  t.is(addDays('2026-08-31', 1), '2026-09-01');
  t.deepEqual(daysBetween('2026-12-30', '2027-01-02'), ['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
});

test('times are written as WeChat Pay writes them', (t) => {
  t.is(toRfc3339Shanghai(new Date('2026-09-01T02:03:04Z')), '2026-09-01T10:03:04+08:00');
});

test('addDays is calendar arithmetic: it agrees with dayjs in Asia/Shanghai across months, leap years and long spans', (t) => {
  const start = Date.UTC(1999, 0, 1);
  for (let i = 0; i < 2000; i++) {
    const day = new Date(start + ((i * 7919) % 12000) * 86_400_000).toISOString().slice(0, 10);
    const offset = ((i * 104_729) % 1501) - 750;
    t.is(addDays(day, offset), dayjs.tz(day, 'Asia/Shanghai').add(offset, 'day').format('YYYY-MM-DD'), `${day} ${offset}`);
  }
  t.is(addDays('2028-02-28', 1), '2028-02-29');
  t.is(addDays('2026-03-01', -1), '2026-02-28');
  t.is(addDays('2026-12-31', 1), '2027-01-01');
});
