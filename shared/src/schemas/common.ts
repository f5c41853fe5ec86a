import { z } from 'zod';
import { isDayKey } from '../business-day.ts';

/** Integer fen; field names carrying it end in `Fen`. */
export const fenSchema = z.number().int().refine(Number.isSafeInteger, { message: '金额超出范围' });
export const positiveFenSchema = fenSchema.refine((v) => v > 0, { message: '金额必须大于 0' });
export const dayKeySchema = z.string().refine(isDayKey, { message: '日期格式应为 YYYY-MM-DD' });
export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/, { message: '无效的 ID' });

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  requestId: z.string(),
});
