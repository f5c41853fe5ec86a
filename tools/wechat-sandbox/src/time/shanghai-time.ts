import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

/**
 * WeChat reports every time in China Standard Time (UTC+08:00, no daylight
 * saving), and its bills cut days at Asia/Shanghai midnight, so a fixed
 * offset is exact.
 */
const SHANGHAI_OFFSET_MINUTES = 8 * 60;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** `2018-06-08T10:34:56+08:00`, the form WeChat uses in every v3 body. */
export function formatRfc3339(ms: number): string {
  return dayjs(ms).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DDTHH:mm:ssZ');
}

/** Parses a strict RFC3339 timestamp; `yyyyMMddHHmmss` and other near misses give undefined. */
export function parseRfc3339(value: string): number | undefined {
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  if (month === undefined || month < 1 || month > 12 || day === undefined || day < 1 || day > 31) return undefined;
  if (hour === undefined || hour > 23 || minute === undefined || minute > 59 || second === undefined || second > 60) {
    return undefined;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse silently rolls 2023-02-30 over to March; reject such dates.
  const local = dayjs(ms).utcOffset(match[8] === 'Z' ? 0 : offsetMinutes(match[8] ?? 'Z'));
  if (local.year() !== year || local.month() + 1 !== month || local.date() !== day) return undefined;
  return ms;
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number);
  return sign * ((hours ?? 0) * 60 + (minutes ?? 0));
}

/** `YYYY-MM-DD` of the Asia/Shanghai day containing `ms`. */
export function shanghaiDate(ms: number): string {
  return dayjs(ms).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD');
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai, the bill's time format. */
export function shanghaiDateTime(ms: number): string {
  return dayjs(ms).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD HH:mm:ss');
}

/** `yyyyMMddHHmmss` in Asia/Shanghai, used inside WeChat's identifiers. */
export function shanghaiCompactDateTime(ms: number): string {
  return dayjs(ms).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYYMMDDHHmmss');
}

/** Milliseconds at 00:00 Asia/Shanghai of a valid `YYYY-MM-DD`, or undefined. */
export function shanghaiDayStart(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return parseRfc3339(`${date}T00:00:00+08:00`);
}

export const DAY_MS = 24 * 60 * 60 * 1000;
